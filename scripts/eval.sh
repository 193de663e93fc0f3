#!/bin/bash
# `make eval`: builds the paper folder and the anchors once, runs `precis run` over the papers as a
# user would (the whole process, timed), and prints ROUGE beside Lead, LexRank, TextRank and LSA.
#   scripts/eval.sh PRECIS PYTHON PIPELINE DIR
set -euo pipefail
precis=$1 python=$2 pipeline=$3 dir=$4
papers="$dir/papers"
if [ ! -f "$papers/abstracts.json" ]; then
  "$python" scripts/eval_quality.py papers "$papers"
fi
# The anchors depend only on the papers and this script's way of running them.
stamp=$(sha256sum scripts/eval_quality.py "$papers/abstracts.json" | sha256sum | cut -c1-16)
anchors="$dir/anchors-$stamp.json"
if [ ! -f "$anchors" ]; then
  echo "eval: ranking the papers with sumy's LexRank, TextRank and LSA (once; a few minutes)"
  "$python" scripts/eval_quality.py anchors "$papers" "$anchors"
fi
out="$dir/out-$(basename "$pipeline" .yaml)"
start=$(date +%s%N)
set +e
"$precis" run "$papers" --pipeline "$pipeline" --out "$out" --quiet
status=$?
set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
seconds=$(printf "%d.%03d" $((ms / 1000)) $((ms % 1000)))
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "eval: precis run exited $status; see above" >&2
  exit "$status"
fi
# What the summaries cost in all: every stored call, this run's and earlier ones'.
read -r cost currency < <("$python" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["stored"]["cost"], s["currency"])' \
  <("$precis" status "$out" --json))
"$python" scripts/eval_quality.py score "$papers" "$out" "$anchors" --seconds "$seconds" --cost "$cost" --currency "$currency" --pipeline "$(basename "$pipeline" .yaml)"
