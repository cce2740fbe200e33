#!/usr/bin/env bash
# Packs what an app needs from this repo into feed/ (a local NuGet feed, ignored by git):
#   SubnetGen.Runtime, SubnetGen (task + generator + props/targets), and the random test supernet
#   SubnetGen.Supernet.Test.CompOFA (made by `subnetgen make-test-supernet`, fixed seed).
# Usage: build/pack.sh [feed-folder]
# The packages keep the fixed version 0.1.0; consumers must use an isolated NUGET_PACKAGES (see
# build/sample.sh and docs/getting-started.md) or they may get a stale copy from the global cache.
set -euo pipefail
cd "$(dirname "$0")/.."
feed="${1:-feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"

# A reused MSBuild node would keep an older copy of the task loaded.
export MSBUILDDISABLENODEREUSE=1

dotnet pack src/SubnetGen.Runtime -c Release -o "$feed" --nologo -v:q
dotnet pack src/SubnetGen -c Release -o "$feed" --nologo -v:q

bundle=artifacts/supernets/test-compofa
rm -rf "$bundle"
dotnet run --project src/SubnetGen.Cli -c Release -- make-test-supernet --family compofa --dataset Test --output "$bundle"
dotnet run --project src/SubnetGen.Cli -c Release --no-build -- pack "$bundle" --output "$feed"

echo "packed into $feed:"
ls -1 "$feed"
