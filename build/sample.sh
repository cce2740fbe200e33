#!/usr/bin/env bash
# Packs SubnetGen into feed/ and runs sample-app, which uses it only through its PackageReference.
# Needs only the .NET SDK. Usage: build/sample.sh [extra `dotnet run` args, e.g. -p:SubnetGenTarget=small]
set -euo pipefail
cd "$(dirname "$0")/.."

# The sample needs neither tool; the trainer's package (libtorch) is the slow one to pack.
bash build/pack.sh --no-trainer feed

# Locally built packages keep version 0.1.0, so a global packages cache could hold an older build
# under the same version (and a released supernet may be repacked before its release lands). The sample gets
# its own cache, and SubnetGen's entries in it are cleared on every run so restore extracts what feed/ holds now.
export NUGET_PACKAGES="$PWD/artifacts/nuget-packages"
mkdir -p "$NUGET_PACKAGES"
rm -rf "$NUGET_PACKAGES"/subnetgen "$NUGET_PACKAGES"/subnetgen.runtime "$NUGET_PACKAGES"/subnetgen.supernet.*
export MSBUILDDISABLENODEREUSE=1

dotnet run --project sample-app -c Release "$@"
