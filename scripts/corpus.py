"""Where the benchmark, soak and load scripts find real documents."""
import os
import sys


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_corpus():
    """The shared corpus beside the repository, for the larger runs; without it, the copy the tests
    read (tests/fixtures/corpus), said on stderr so that one is never taken for the other."""
    shared = os.path.join(ROOT, "..", "shared", "corpus")
    if os.path.isdir(shared):
        return shared
    local = os.path.join(ROOT, "tests", "fixtures", "corpus")
    print(f"note: no shared corpus at {os.path.normpath(shared)}; using the test corpus {local}", file=sys.stderr)
    return local
