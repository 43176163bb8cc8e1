#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis (from PyPI) over the OpenAPI document the server
# publishes: every operation, every check, positive and negative data, a bounded number of
# examples each. The server runs on loopback over an index of the demo corpus.
#   scripts/api_fuzz.sh [BIN] [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-${CARGO_TARGET_DIR:-target}/debug/travaux}"
examples="${2:-40}"
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" ingest --index "$work/index" demo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --index "$work/index" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.1
done
# Run from the scratch folder: schemathesis keeps the crashes it found there
# (.schemathesis/), so each run starts from the seed alone and nothing lands in the repository.
config="$PWD/scripts/schemathesis.toml"
fuzz() {
  (cd "$work" && schemathesis --config-file "$config" run "http://127.0.0.1:$port/api/openapi.json" \
    --checks all --mode all --max-examples "$examples" --seed 2026 --workers 2 \
    --generation-deterministic --no-color "$@")
}
# schemathesis 4.32's coverage phase sometimes stops on an error of its own (a Python
# SystemError inside hypothesis), every case having passed. Such a run is done again without
# that phase; a failure of the API is never retried.
if fuzz > "$work/run.log" 2>&1; then
  cat "$work/run.log"
  exit 0
fi
cat "$work/run.log"
if grep -q "Runtime Error" "$work/run.log" && ! grep -q "^Failures:" "$work/run.log"; then
  echo "schemathesis stopped on an error of its own (no API failure): running again without its coverage phase" >&2
  fuzz --phases examples,fuzzing,stateful
else
  exit 1
fi
