"""What the benchmark, soak and load scripts share: where they find real documents, and a free
loopback port for the server they start."""
import os
import socket
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


def free_port():
    """A loopback port nothing listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
