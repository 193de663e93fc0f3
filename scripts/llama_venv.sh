#!/usr/bin/env bash
# llama_venv.sh: makes sure .build/venv-llama (or $LLAMA_VENV) holds llama-cpp-python[server], pinned,
# and prints its python. The venv is kept between runs. The first install compiles llama.cpp (8 to
# 10 minutes on 2 cores); pip keeps the built wheel in its cache (~/.cache/pip), so a new venv later
# installs in seconds. make test-integration and make eval PIPELINE=smollm2 share it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${LLAMA_VENV:-.build/venv-llama}
VERSION=0.3.36
if ! "$VENV/bin/python" -c "import llama_cpp.server, llama_cpp; assert llama_cpp.__version__ == '$VERSION'" 2>/dev/null; then
  echo "llama-venv: installing llama-cpp-python[server]==$VERSION in $VENV (the first time compiles llama.cpp: about 10 minutes)" >&2
  python3 -m venv "$VENV"
  start=$(date +%s)
  "$VENV/bin/pip" install -q "llama-cpp-python[server]==$VERSION" >&2
  echo "llama-venv: installed in $(( $(date +%s) - start )) s" >&2
fi
echo "$VENV/bin/python"
