#!/usr/bin/env bash
# Fuzz every citation reader, the catalogue and evidence readers, check and audit for a fixed time budget:
#
#     scripts/fuzz.sh [DURATION]        # 30m (default), 2h, 300s, 5m
#
# The tests are tests/test_fuzz.py, run round after round with new random inputs (SKINEVIDENCE_FUZZ=long) until the
# time is spent. Each input has a deadline of 5 s (hypothesis) and is stopped after 60 s; the process may use at most
# FUZZ_MEMORY_MB of address space (500 by default, `ulimit -v`), so an input that needs more fails with MemoryError.
# An input that fails is saved under tests/fixtures/fuzz/<test>/ (commit it: the ordinary suite then reads it back),
# and hypothesis keeps its shrunk examples in .hypothesis/fuzz (FUZZ_DB). The log of every round is in FUZZ_LOG
# (fuzz.log by default); the script ends with one line per round and exits non-zero when any round failed.
set -uo pipefail
cd "$(dirname "$0")/.."

duration=${1:-30m}
case $duration in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *[!0-9]*|'') echo "usage: scripts/fuzz.sh [DURATION: 30m, 2h, 300s]" >&2; exit 2 ;;
  *) seconds=$duration ;;
esac
memory_mb=${FUZZ_MEMORY_MB:-500}
examples=${FUZZ_EXAMPLES:-1000}   # per test and round: every test gets its turn in each round
log=${FUZZ_LOG:-fuzz.log}
export SKINEVIDENCE_FUZZ=long SKINEVIDENCE_FUZZ_EXAMPLES=$examples SKINEVIDENCE_FUZZ_DB=${FUZZ_DB:-.hypothesis/fuzz}
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}src

ulimit -v $(( memory_mb * 1024 ))
: > "$log"
stamp=$(mktemp) && trap 'rm -f "$stamp"' EXIT  # inputs saved after it are this run's
end=$(( SECONDS + seconds ))
round=0 failed=0
while (( SECONDS < end )); do
  round=$(( round + 1 ))
  left=$(( end - SECONDS ))
  started=$SECONDS
  # SIGINT at the end of the budget: pytest stops the test it is in and still prints its summary. The warning
  # ignored is libcst's, imported by hypothesis to print a failing example (warnings are errors in the suite)
  timeout --signal=INT --kill-after=60 "$left" python3 -m pytest -q -p no:cacheprovider tests/test_fuzz.py \
      -k "not saved_crashers" -W "ignore::DeprecationWarning:mypy_extensions" >> "$log" 2>&1
  code=$?
  summary=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed|error).* =+$' "$log" | tail -1)
  case $code in
    0) echo "round $round: ${summary:-passed} ($(( SECONDS - started )) s)" ;;
    2|124|130) echo "round $round: stopped by the time budget after $(( SECONDS - started )) s (not counted: the" \
                    "interrupt may surface as a failure of the test it stopped)" ;;
    *) failed=$(( failed + 1 )); echo "round $round: FAILED (exit $code): $summary; see $log" ;;
  esac
done
echo "fuzz: $round round(s) in $seconds s, $failed failed; memory cap ${memory_mb} MB; new inputs saved: $(find tests/fixtures/fuzz -type f -newer "$stamp" 2>/dev/null | wc -l)"
exit $(( failed > 0 ))
