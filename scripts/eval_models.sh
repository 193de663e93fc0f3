#!/usr/bin/env bash
# `make eval PIPELINE=smollm2`: the model path on a fixed subset of the aclsum papers, beside
# LangChain's map_reduce, a one-call stuff baseline and the offline default, all on one llama.cpp
# server (llama-cpp-python, SmolLM2-135M-Instruct, its whole 8,192-token window, both cores), each
# system run end to end as its users run it, one after another, and timed.
#   scripts/eval_models.sh PRECIS EVAL_PYTHON PIPELINE DIR PAPERS
set -euo pipefail
cd "$(dirname "$0")/.."
precis=$1 python=$2 pipeline=$3 dir=$4 count=$5
window=8192 map_tokens=200 final_tokens=300

if [ ! -f "$dir/papers/abstracts.json" ]; then "$python" scripts/eval_quality.py papers "$dir/papers"; fi
subset="$dir/papers-$count"
if [ ! -f "$subset/abstracts.json" ]; then "$python" scripts/eval_models.py subset "$dir/papers" "$count" "$subset"; fi

llama=$(bash scripts/llama_venv.sh)
model=$(bash scripts/fetch_model.sh "$llama")
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/v1"
runs="$dir/model-runs-$count"
rm -rf "$runs"
mkdir -p "$runs"
"$llama" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" --n_ctx "$window" --n_threads 2 \
  --interrupt_requests False > "$runs/server.log" 2>&1 &
server=$!
stop() { kill "$server" 2>/dev/null || true; for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$server" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 240); do
  "$python" -c "import urllib.request; urllib.request.urlopen('$url/models', timeout=2)" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "eval: the llama.cpp server exited:" >&2; tail -20 "$runs/server.log" >&2; exit 1; }
  sleep 0.5
done
echo "eval: SmolLM2-135M-Instruct on $url (PID $server), $count papers in $subset"

# precis with PIPELINE, then with its variants: map-reduce, and the built-in prompts.
name=$(basename "$pipeline" .yaml)
shipped=$pipeline
[ -f "$shipped" ] || shipped="$PWD/pipelines/$name.yaml"
printf 'extends: %s\nname: %s-map-reduce\nstrategy: map-reduce\n' "$shipped" "$name" > "$runs/map-reduce.yaml"
printf 'extends: %s\nname: %s-builtin-prompts\ncontext_window: %s\ntemperature: 0\nstream: false\nstrategy: extract-abstract\nextract_tokens: 1500\nmax_tokens: {map: %s, reduce: %s, final: %s}\n' \
  "$PWD/pipelines/llamacpp.yaml" "$name" "$window" "$map_tokens" "$map_tokens" "$final_tokens" > "$runs/builtin-prompts.yaml"

precis_run() { # LABEL PIPELINE [ENV…]
  local label=$1 file=$2 start status; shift 2
  start=$(date +%s%N)
  set +e
  env "$@" "$precis" run "$subset" --pipeline "$file" --out "$runs/$label" --quiet 2> "$runs/$label.log"
  status=$?
  set -e
  if [ "$status" -gt 1 ]; then echo "eval: precis ($label) exited $status:" >&2; tail -5 "$runs/$label.log" >&2; exit "$status"; fi
  "$python" scripts/eval_models.py precis-usage "$runs/$label" "$(( ($(date +%s%N) - start) / 1000000 ))e-3"
  echo "eval: precis $label done"
}
precis_run default default
precis_run "$name" "$pipeline" OPENAI_BASE_URL="$url"
precis_run "$name-builtin-prompts" "$runs/builtin-prompts.yaml" OPENAI_BASE_URL="$url"
"$python" scripts/eval_models.py stuff "$subset" "$runs/stuff" "$url" --final-tokens "$final_tokens" --window "$window"
echo "eval: stuff done"
precis_run "$name-map-reduce" "$runs/map-reduce.yaml" OPENAI_BASE_URL="$url"
"$python" scripts/eval_models.py langchain "$subset" "$runs/langchain" "$url" --chunk-tokens $((window - final_tokens - 400)) \
  --map-tokens "$map_tokens" --final-tokens "$final_tokens" --window "$window"
echo "eval: langchain done"
echo
"$python" scripts/eval_quality.py table "$subset" \
  "precis $name (extract-abstract)=$runs/$name" "precis $name, built-in prompts (extract-abstract)=$runs/$name-builtin-prompts" \
  "precis $name (map-reduce)=$runs/$name-map-reduce" "LangChain map_reduce=$runs/langchain" \
  "stuff: opening that fits, one call=$runs/stuff" "precis default (offline)=$runs/default"
