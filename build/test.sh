#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first (Fashion-MNIST, the libstdc++
# TorchSharp needs), then builds and tests every project in SubnetGen.sln.
# Usage: build/test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/install-test-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test SubnetGen.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole suite, summed over the test assemblies' own summaries.
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    line = $0
    gsub(/,/, "", line)
    n = split(line, w, " ")
    for (i = 1; i < n; i++) {
      if (w[i] == "Failed:") f += w[i+1]
      if (w[i] == "Passed:") p += w[i+1]
      if (w[i] == "Skipped:") s += w[i+1]
    }
    runs++
  }
  END {
    if (runs == 0) { print "no test assembly reported results"; exit 0 }
    printf "%d passed, %d failed, %d skipped\n", p, f, s
  }' "$log"
exit "$status"
