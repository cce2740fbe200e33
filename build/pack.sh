#!/usr/bin/env bash
# Packs what an app needs from this repo into feed/ (a local NuGet feed):
#   SubnetGen.Runtime and SubnetGen (task + generator + props/targets), built here and ignored by git,
#   next to the released, trained supernet packages committed in feed/ (SubnetGen.Supernet.FashionMnist.*),
#   which are copied when another feed folder is given.
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

released="$(pwd)/feed"
shopt -s nullglob
supernets=("$released"/SubnetGen.Supernet.FashionMnist.*.nupkg)
if [ ${#supernets[@]} -eq 0 ]; then
  echo "error: no released supernet package in $released (SubnetGen.Supernet.FashionMnist.*.nupkg); they are committed to git: run 'git checkout -- feed' or see docs/training.md" >&2
  exit 1
fi
if [ "$feed" != "$released" ]; then cp "${supernets[@]}" "$feed"/; fi

echo "packed into $feed:"
ls -1 "$feed"
