#!/usr/bin/env bash
# The promise sweep of docs/search.md ("Honest promises"): every released supernet in feed/ searched under
# BenchPromisesCommand.DefaultBudgets (14 budgets, tight to loose, over MACs, peak memory, weights and parameters),
# each pick's generated model and the references that also fit run on the 10,000 Fashion-MNIST test images.
# About 10 minutes per supernet on a 2-core machine. Writes docs/promise-sweep.md; extra arguments go to bench-promises.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/SubnetGen.Cli -c Release -v q -nologo >/dev/null
args=()
for id in OFA CompOFA MOOFA; do
  args+=(--supernet "$(ls feed/SubnetGen.Supernet.FashionMnist.${id}.*.nupkg | head -1)")
done
dotnet src/SubnetGen.Cli/bin/Release/net10.0/subnetgen.dll bench-promises "${args[@]}" --markdown docs/promise-sweep.md "$@"
