#!/usr/bin/env bash
# Runs every test on this machine: installs PostgreSQL's server binaries when they are missing (the
# PostgreSQL tests start their own throwaway server from them), runs the whole solution's tests, and
# ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/ensure-postgres.sh

results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test Storage.sln --logger "trx" --results-directory "$results" --blame-hang-timeout 15m || status=$?

# Sum the counters of every results file, so a run that executed nothing shows as "0 passed".
shopt -s nullglob
files=("$results"/*.trx)
passed=0; failed=0; skipped=0
for f in "${files[@]}"; do
    line=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line")
    x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$line")
    e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$line")
    passed=$((passed + ${p:-0})); failed=$((failed + ${x:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "dotnet test exited with $status before reporting a failed test (a build error or a crashed test host)" >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
