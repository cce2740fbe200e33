#!/usr/bin/env bash
# How well a `subnetgen profile` table predicts whole-model latency on this machine (issue: "Latency promises").
# Profiles each released supernet into bench/latency/<family>.json, then times 20 subnets per family with
# BenchmarkDotNet (LatencyModelBenchmarks) beside the table's prediction, twice; prints each family's median |error|
# per run and against each subnet's faster run.
# Run it on an otherwise idle machine: bash build/latency-check.sh [--job short|default]
# Profile and benchmarks run on one CPU (LATENCY_CPU, default 0): on a shared VM one vCPU can run a whole process
# ~30 % slower than the other, which would otherwise decide which timings a table and a benchmark get.
set -euo pipefail
cd "$(dirname "$0")/.."
job="${2:-short}"
cpu="${LATENCY_CPU:-0}"
[ "${1:-}" = "--job" ] || job=short
bash build/install-test-deps.sh   # the benchmarks run the subnets on Fashion-MNIST test images
dotnet build src/SubnetGen.Cli -c Release -v q -nologo >/dev/null
mkdir -p bench/latency
for family in CompOFA:compofa MOOFA:moofa OFA:ofa; do
  id="${family%%:*}"; name="${family##*:}"
  package="$(ls feed/SubnetGen.Supernet.FashionMnist.${id}.*.nupkg | head -1)"
  taskset -c "$cpu" dotnet src/SubnetGen.Cli/bin/Release/net10.0/subnetgen.dll profile --bundle "$package" \
    --device "$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" -o "bench/latency/${name}.json"
done
# Two benchmark runs on the same tables: the second also prints the medians against each subnet's faster mean.
rm -rf bench/latency/runs
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for pass in 1 2; do
  dotnet run -c Release --project bench/SubnetGen.Benchmarks -- --filter '*LatencyModelBenchmarks*' --job "$job" --affinity "$((1 << cpu))" | tee "$log"
  # BenchmarkDotNet reports a benchmark that threw as NA and still exits 0.
  if grep -q '^| Predict .*| *NA *|' "$log"; then
    echo "latency-check: some benchmarks failed (NA above); their exceptions are earlier in the output" >&2
    exit 1
  fi
done
