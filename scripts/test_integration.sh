#!/usr/bin/env bash
# make test-integration: the whole pipeline against llama.cpp's real OpenAI-compatible server
# (llama-cpp-python, pinned), with the tiny model in Tests/Fixtures/models, and the fleet against a real
# PostgreSQL from Debian's packages. Starts the servers on free loopback ports, runs the LlamaCpp and
# Postgres test suites against them, and always stops every server by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=${LLAMA_MODEL:-Tests/Fixtures/models/stories260K.gguf}
VENV=${LLAMA_VENV:-.build/venv-llama}
VERSION=0.3.36
SWIFT=${SWIFT:-swift}
LOGS=.build/llama-logs
began=$(date +%s)

if [ ! -f "$MODEL" ]; then
  echo "test-integration: FAILED: the model $MODEL is missing, so nothing can be tested against llama.cpp." >&2
  echo "test-integration: put stories260K.gguf there (see docs/local-models.md) or set LLAMA_MODEL=PATH." >&2
  exit 1
fi

# The venv is kept between runs. The first install compiles llama.cpp (8 to 10 minutes on 2 cores);
# pip keeps the built wheel in its cache (~/.cache/pip), so a new venv later installs in seconds.
if ! "$VENV/bin/python" -c "import llama_cpp.server, llama_cpp; assert llama_cpp.__version__ == '$VERSION'" 2>/dev/null; then
  echo "test-integration: installing llama-cpp-python[server]==$VERSION in $VENV (the first time compiles llama.cpp: about 10 minutes)"
  python3 -m venv "$VENV"
  start=$(date +%s)
  "$VENV/bin/pip" install -q "llama-cpp-python[server]==$VERSION"
  echo "test-integration: installed in $(( $(date +%s) - start )) s"
fi

"$SWIFT" build --build-tests

read -r PORT KEYED_PORT < <("$VENV/bin/python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks: s.close()')
KEY=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(16))')
mkdir -p "$LOGS"

pids=()
source scripts/postgres.sh
stop_servers() {
  pg_stop
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

serve() { # PORT LOG ARGS…: start a server in the background and remember its PID
  local port=$1 log=$2; shift 2
  "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$port" \
    --n_ctx 2048 --n_threads 1 "$@" > "$log" 2>&1 &
  pids+=($!)
}
# The server as users run it, and a second with the defaults' quirks: interrupting streams, and a key.
serve "$PORT" "$LOGS/server.log" --interrupt_requests False
serve "$KEYED_PORT" "$LOGS/keyed-server.log" --interrupt_requests True --api_key "$KEY"

ready() { # PORT LOG PID: wait until the server answers /v1/models (401 counts: the keyed one)
  for _ in $(seq 1 240); do
    "$VENV/bin/python" - "$1" <<'PY' 2>/dev/null && return 0
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/models", timeout=2)
except urllib.error.HTTPError as e:
    sys.exit(0 if e.code == 401 else 1)
PY
    if ! kill -0 "$3" 2>/dev/null; then echo "test-integration: the server on port $1 exited:" >&2; tail -20 "$2" >&2; return 1; fi
    sleep 0.5
  done
  echo "test-integration: the server on port $1 did not answer within 120 s" >&2; tail -20 "$2" >&2
  return 1
}
ready "$PORT" "$LOGS/server.log" "${pids[0]}"
ready "$KEYED_PORT" "$LOGS/keyed-server.log" "${pids[1]}"
pg_start "$(mktemp -d /tmp/precis-pg.XXXXXX)"
echo "test-integration: llama.cpp serving $MODEL on 127.0.0.1:$PORT (PID ${pids[0]}) and, keyed and interrupting, on :$KEYED_PORT (PID ${pids[1]})"

set +e
PRECIS_LLAMA_URL="http://127.0.0.1:$PORT/v1" PRECIS_LLAMA_KEYED_URL="http://127.0.0.1:$KEYED_PORT/v1" PRECIS_LLAMA_KEY="$KEY" \
  "$SWIFT" test --skip-build --no-parallel --filter 'LlamaCpp|Postgres' 2>&1 | tee "$LOGS/tests.log"
status=${PIPESTATUS[0]}
set -e

# A suite that skipped itself would pass without proving anything.
if grep -q "skipped" "$LOGS/tests.log"; then
  echo "test-integration: FAILED: tests were skipped; the servers' variables did not reach them" >&2
  status=1
fi
if ! grep -qE "Test run with [0-9]+ tests" "$LOGS/tests.log"; then status=1; fi
echo
echo "test-integration: against llama.cpp $VERSION and PostgreSQL:"
grep -E "^(llama\.cpp|fleet)" "$LOGS/tests.log" | sed 's/^/  /' || true
echo "  $(grep -E "Test run with" "$LOGS/tests.log" | tail -1)"
echo "  $(( $(date +%s) - began )) s in all; server logs in $LOGS"
exit "$status"
