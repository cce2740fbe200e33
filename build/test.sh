#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first (Fashion-MNIST, the libstdc++
# TorchSharp needs), builds the whole of SubnetGen.sln, then tests every test project in it.
# The build comes first and whole because tests run tools that no test project references
# (the integration walkthrough runs subnetgen-train); `dotnet test` alone builds each test
# project's references only, so on a clean clone such a tool could still be missing.
# The test projects then run one after another (-m:1): the trainer's tests and the integration
# walkthrough both train with TorchSharp, whose thread pools, side by side on 2 cores, ran 5x
# slower than in turn and timed the walkthrough out.
# Usage: build/test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/install-test-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build SubnetGen.sln -c Release --nologo

set +e
dotnet test SubnetGen.sln -c Release --nologo --no-build -m:1 "$@" 2>&1 | tee "$log"
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
