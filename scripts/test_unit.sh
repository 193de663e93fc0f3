#!/usr/bin/env bash
# Runs the unit suite (already built) and, when it fails, repeats at the end what failed: the failing
# tests' issues and, if the test process crashed, the crash's message and the crashing thread's frames.
# CI keeps only the tail of what a run prints, and a crash's register dump would fill it.
set -uo pipefail
SWIFT="${SWIFT:-swift}"
# A crash prints the crashing thread only, without registers, and only the images its frames name.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=yes,threads=crashed,registers=none,images=mentioned}"
log="$(mktemp /tmp/precis-unit.XXXXXX.log)"
"$SWIFT" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo
  echo "make test: the unit suite failed (exit $status); what failed, from $log:"
  grep -E "✘ Test .*(recorded an issue|failed)|error: -\[|Fatal error|SWIFT TASK|Test Case .* failed" "$log" | head -40 | cut -c1-400
  if grep -q " crashed:" "$log"; then
    echo "the crash:"
    grep -B3 -A40 " crashed:" "$log" | head -60 | cut -c1-300
  fi
fi
[ "$status" -eq 0 ] && rm -f "$log"
exit "$status"
