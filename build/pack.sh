#!/usr/bin/env bash
# Packs what this repo ships into feed/ (a local NuGet feed):
#   SubnetGen.Runtime and SubnetGen (task + generator + props/targets): what an app references;
#   SubnetGen.Cli (the `subnetgen` tool, any platform);
#   SubnetGen.Trainer (the `subnetgen-train` tool): a pointer package plus SubnetGen.Trainer.<rid>, which carries
#     libtorch for that one platform; <rid> is this machine's (linux-x64 here). Other platforms:
#     SUBNETGEN_TOOL_RIDS="linux-x64;osx-arm64;win-x64" build/pack.sh (docs/getting-started.md);
# all built here and ignored by git, next to the released, trained supernet packages committed in feed/
# (SubnetGen.Supernet.FashionMnist.*), which are copied when another feed folder is given.
# Usage: build/pack.sh [--no-trainer] [feed-folder]
#   --no-trainer   skip SubnetGen.Trainer (about 20 s and a 120 MB package) for scripts and tests that do not need it
# Install the tools from the feed:  dotnet tool install --tool-path <dir> --add-source <feed> SubnetGen.Trainer --version 0.1.0
# The packages keep the fixed version 0.1.0; consumers must use an isolated NUGET_PACKAGES (see
# build/sample.sh and docs/getting-started.md) or they may get a stale copy from the global cache.
set -euo pipefail
cd "$(dirname "$0")/.."

trainer=1
if [ "${1:-}" = "--no-trainer" ]; then trainer=0; shift; fi
case "${1:-}" in -*) echo "usage: build/pack.sh [--no-trainer] [feed-folder]" >&2; exit 2 ;; esac
feed="${1:-feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"

# A reused MSBuild node would keep an older copy of the task loaded.
export MSBUILDDISABLENODEREUSE=1

dotnet pack src/SubnetGen.Runtime -c Release -o "$feed" --nologo -v:q
dotnet pack src/SubnetGen -c Release -o "$feed" --nologo -v:q
dotnet pack src/SubnetGen.Cli -c Release -o "$feed" --nologo -v:q
if [ "$trainer" = 1 ]; then
  rids=()
  if [ -n "${SUBNETGEN_TOOL_RIDS:-}" ]; then rids=("-p:SubnetGenToolRuntimeIdentifiers=${SUBNETGEN_TOOL_RIDS//;/%3B}"); fi
  dotnet pack src/SubnetGen.Trainer -c Release -o "$feed" --nologo -v:q "${rids[@]}"
fi

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
