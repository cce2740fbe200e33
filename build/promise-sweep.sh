#!/usr/bin/env bash
# The promise sweep of docs/search.md ("Honest promises"): every released supernet in feed/ searched under
# BenchPromisesCommand.DefaultBudgets (14 budgets, tight to loose, over MACs, peak memory, weights and parameters) and
# four latency budgets from a fresh `subnetgen profile` of this machine per supernet (tables in bench/latency/sweep-*.json,
# ignored by git); each pick's generated model and the references that also fit run on the 10,000 Fashion-MNIST test
# images. About 10 minutes per supernet on a 2-core machine. Writes docs/promise-sweep.md; extra arguments go to bench-promises.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/SubnetGen.Cli -c Release -v q -nologo >/dev/null
cli=src/SubnetGen.Cli/bin/Release/net10.0/subnetgen.dll
mkdir -p bench/latency
args=()
for id in OFA CompOFA MOOFA; do
  package="$(ls feed/SubnetGen.Supernet.FashionMnist.${id}.*.nupkg | head -1)"
  table="bench/latency/sweep-${id}.json"
  dotnet "$cli" profile --bundle "$package" --device "$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" --output "$table" >&2
  args+=(--supernet "$package" --latency-table "$table")
done
dotnet "$cli" bench-promises "${args[@]}" --markdown docs/promise-sweep.md "$@"
