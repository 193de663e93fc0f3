#!/usr/bin/env bash
# make install into a scratch DESTDIR, then run the installed binary as a user would: from a
# working folder with no pipelines/ and a home with no configuration, by pipeline name.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(mktemp -d /tmp/precis-install.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
make --no-print-directory install DESTDIR="$ROOT/dest" PREFIX=/usr/local INSTALL_CONFIG="${INSTALL_CONFIG:-debug}" SWIFT="${SWIFT:-swift}"
PREFIX="$ROOT/dest/usr/local"
fail() { echo "test-install: $*" >&2; exit 1; }
for f in bin/precis share/bash-completion/completions/precis share/zsh/site-functions/_precis \
         share/fish/vendor_completions.d/precis.fish share/precis/pipelines/moonshot.yaml; do
  [ -s "$PREFIX/$f" ] || fail "$f was not installed"
done
grep -q "precis" "$PREFIX/share/bash-completion/completions/precis" || fail "the bash completion names no precis"

mkdir -p "$ROOT/home" "$ROOT/work" "$ROOT/docs"
cp -r samples/en samples/zh "$ROOT/docs/"
cd "$ROOT/work"
export HOME="$ROOT/home" XDG_CONFIG_HOME=
unset MOONSHOT_API_KEY MOONSHOT_BASE_URL
"$PREFIX/bin/precis" pipelines | grep -q "^moonshot .*\[built in\]" || fail "precis pipelines does not list the built-in moonshot"
"$PREFIX/bin/precis" estimate "$ROOT/docs" --pipeline moonshot --out "$ROOT/out" | grep -q "model moonshot-v1-8k" \
  || fail "--pipeline moonshot did not resolve from an empty working folder"
"$PREFIX/bin/precis" run "$ROOT/docs" --out "$ROOT/out" -q || fail "the installed binary did not summarize the folder"
[ -s "$ROOT/out/en/harrow-point.txt.md" ] && [ -s "$ROOT/out/index.md" ] || fail "no summary pages were written"
echo "test-install: ok: binary, 3 completions and $(ls "$PREFIX/share/precis/pipelines" | wc -l) pipelines installed; the installed binary summarized $ROOT/docs from $ROOT/work"
