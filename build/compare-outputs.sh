#!/usr/bin/env bash
# Shows that a change (typically a refactor) leaves SubnetGen's build outputs byte-identical.
#
# Usage: build/compare-outputs.sh <commit-A> <commit-B>      e.g. build/compare-outputs.sh HEAD~3 HEAD
#        build/compare-outputs.sh <commit-A> WORKTREE        B = the current working tree (tracked and
#                                                            untracked-but-not-ignored files)
#
# For each side it takes a clean copy of the tree (git archive), packs SubnetGen from it into a temporary
# feed (build/pack.sh, with a fresh NUGET_PACKAGES: both sides are version 0.1.0, so a cached package of
# the other side must never be reused), then builds five consumers outside the repository against that
# feed with `dotnet build -c Release -p:EmitCompilerGeneratedFiles=true`:
#   sample-app-default, sample-app-small    sample-app/ of that side, targets "default" and "small"
#   ofa, compofa, moofa                     one minimal app per released supernet in feed/ (the version
#                                           found there), with budgets that bind; OFA recalibrates BN
# and collects every *.subnet.json, *.weights.bin and generated *.g.cs from each consumer's obj/.
# Both sides are built at the same paths, one after the other, so no temp path can make them differ.
# Then it compares the two sets file by file (cmp) and prints `identical <path>` or `DIFFERENT <path>`.
#
# Exit status: 0 all files identical and the same set on both sides; 1 some differ; 2 usage error or a
# failed step. COMPARE_KEEP=1 keeps the work folder (copies, logs, collected files, summaries) and prints
# where it is. Needs the .NET SDK and nuget.org (consumers restore from it for everything but SubnetGen*).
# A run takes several minutes: two packs and ten builds.
set -euo pipefail

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 2 ] || usage
case "$1" in -h|--help) usage ;; esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

# Resolve both sides before anything slow happens.
resolve() {
  if [ "$1" = WORKTREE ]; then echo WORKTREE; return; fi
  git rev-parse --verify --quiet "$1^{commit}" || { echo "error: '$1' is not a commit in $repo" >&2; exit 2; }
}
side_A="$(resolve "$1")"
side_B="$(resolve "$2")"
[ "$side_A" != WORKTREE ] || { echo "error: WORKTREE can only be the second argument (B)" >&2; exit 2; }
label() { if [ "$2" = WORKTREE ]; then echo "$1 worktree"; else echo "$1 $(git rev-parse --short "$2")"; fi; }
label_A="$(label A "$side_A")"
label_B="$(label B "$side_B")"

work="$(mktemp -d "${TMPDIR:-/tmp}/subnetgen-compare.XXXXXX")"
cleanup() {
  if [ "${COMPARE_KEEP:-0}" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fixed paths, reused by both sides (emptied in between): tree/ the copy, feed/ the packed feed,
# packages/ NUGET_PACKAGES, consumers/ the apps. Per side: logs-X/, out-X/ (collected), summary-X.txt.
tree="$work/tree" feed="$work/feed" packages="$work/packages" consumers="$work/consumers"

export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export NUGET_PACKAGES="$packages"

started=$SECONDS
current_label=""
progress() { printf '[%s] %s\n' "$current_label" "$*"; }

# run <step description> <log file> <command...>: quiet, but a failure shows the log's tail and stops.
run() {
  local step="$1" log="$2"; shift 2
  if ! "$@" >"$log" 2>&1; then
    echo "error: [$current_label] $step failed; last 40 lines of $log:" >&2
    tail -n 40 "$log" >&2
    echo "error: [$current_label] $step failed (rerun with COMPARE_KEEP=1 to keep the log)" >&2
    exit 2
  fi
}

copy_tree() {   # copy_tree <commit|WORKTREE>
  rm -rf "$tree"; mkdir -p "$tree"
  if [ "$1" = WORKTREE ]; then
    # Tracked and untracked-but-not-ignored files, minus tracked files deleted in the working tree.
    git ls-files -z -co --exclude-standard \
      | while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done \
      | tar --null -T - -cf - | tar -xf - -C "$tree"
  else
    git archive --format=tar "$1" | tar -xf - -C "$tree"
  fi
}

# A consuming project in consumers/<name>: nuget.config with the temp feed (SubnetGen* mapped to it,
# everything else to nuget.org), like tests/SubnetGen.Integration.Tests/ConsumerProject.cs.
write_nuget_config() {
  cat >"$1/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="compare-feed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="compare-feed">
      <package pattern="SubnetGen" />
      <package pattern="SubnetGen.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
}

# consumers/sample-app-<target>: the side's sample-app/ as it is.
make_sample_consumer() {   # make_sample_consumer <name>
  local dir="$consumers/$1"
  cp -R "$tree/sample-app" "$dir"
  rm -rf "$dir/bin" "$dir/obj"
  write_nuget_config "$dir"
}

# consumers/<name>: a minimal app around the sample's Program.cs and PgmImage.cs, model FashionClassifier
# cut from <supernet id> <version> for the one target "default" with the given budgets.
make_supernet_consumer() {   # make_supernet_consumer <name> <supernet id> <version> <default target json>
  local dir="$consumers/$1"
  mkdir -p "$dir/images"
  write_nuget_config "$dir"
  cat >"$dir/Consumer.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RootNamespace>SampleApp</RootNamespace>
    <ImplicitUsings>disable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SubnetGen" Version="0.1.0" />
    <None Include="images/*.pgm" CopyToOutputDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
EOF
  cat >"$dir/constraints.json" <<EOF
{
  "models": [
    {
      "name": "FashionClassifier",
      "supernet": { "id": "$2", "version": "$3" },
      "targets": {
        "default": $4
      }
    }
  ]
}
EOF
  cp "$tree/sample-app/Program.cs" "$tree/sample-app/PgmImage.cs" "$dir/"
  find "$tree/sample-app/images" -name '*.pgm' | LC_ALL=C sort | head -n 4 | xargs -I{} cp {} "$dir/images/"
}

# The released supernet's version in the side's feed/ (the highest, if several).
supernet_version() {   # supernet_version <family>
  local prefix="SubnetGen.Supernet.FashionMnist.$1." v
  v="$(cd "$tree/feed" && { ls -1 "$prefix"*.nupkg 2>/dev/null || true; } | sed "s/^$prefix//; s/\.nupkg\$//" | sort -V | tail -n 1)"
  [ -n "$v" ] || { echo "error: [$current_label] no ${prefix}*.nupkg in feed/" >&2; exit 2; }
  echo "$v"
}

build_consumer() {   # build_consumer <side letter> <name> <what, for the progress line> [extra dotnet build args]
  local side="$1" name="$2" what="$3"; shift 3
  local log="$work/logs-$side/build-$name.log"
  progress "building $what…"
  run "building $name" "$log" dotnet build "$consumers/$name" -c Release -nologo -tl:off -v:n -nodeReuse:false \
    -p:EmitCompilerGeneratedFiles=true -p:UseSharedCompilation=false "$@"
  # The task's summary lines, for information (not compared).
  { echo "== $name"; grep -E 'SubnetGen: |BN statistics: ' "$log" | sed -E 's/^ +//; s/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++'; } \
    >>"$work/summary-$side.txt"
  # Collect what the build generated, under out-<side>/<name>/obj/...
  local found=0
  while IFS= read -r -d '' f; do
    mkdir -p "$work/out-$side/$name/$(dirname "$f")"
    cp "$consumers/$name/$f" "$work/out-$side/$name/$f"
    found=$((found + 1))
  done < <(cd "$consumers/$name" && find obj \( -name '*.subnet.json' -o -name '*.weights.bin' -o -name '*.g.cs' \) -type f -print0)
  local kind
  for kind in '*.subnet.json' '*.weights.bin' '*.g.cs'; do
    if [ -z "$(find "$work/out-$side/$name" -name "$kind" -print -quit 2>/dev/null)" ]; then
      echo "error: [$current_label] building $name produced no $kind under obj/ (log: $log)" >&2; exit 2
    fi
  done
}

do_side() {   # do_side <side letter> <commit|WORKTREE> <label>
  local side="$1" rev="$2"
  current_label="$3"
  rm -rf "$feed" "$packages" "$consumers"
  mkdir -p "$feed" "$packages" "$consumers" "$work/logs-$side" "$work/out-$side"
  : >"$work/summary-$side.txt"

  progress "copying the tree…"
  copy_tree "$rev"

  progress "packing…"
  # The consumers need neither tool: skip the trainer's libtorch package where that side's pack.sh can.
  run "packing (build/pack.sh)" "$work/logs-$side/pack.log" bash -c \
    'cd "$1" && if grep -q -- "--no-trainer" build/pack.sh; then bash build/pack.sh --no-trainer "$2"; else bash build/pack.sh "$2"; fi' _ "$tree" "$feed"

  # Block any Directory.Build.* / Directory.Packages.props above the work folder from reaching the consumers.
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' >"$consumers/$f"; done

  make_sample_consumer sample-app-default
  build_consumer "$side" sample-app-default "sample-app default" -p:SubnetGenTarget=default
  make_sample_consumer sample-app-small
  build_consumer "$side" sample-app-small "sample-app small" -p:SubnetGenTarget=small

  local v
  v="$(supernet_version OFA)"
  make_supernet_consumer ofa SubnetGen.Supernet.FashionMnist.OFA "$v" '{ "maxMacs": 6000000, "maxWeightsKB": 2048 }'
  build_consumer "$side" ofa "OFA $v consumer"
  v="$(supernet_version CompOFA)"
  make_supernet_consumer compofa SubnetGen.Supernet.FashionMnist.CompOFA "$v" '{ "maxPeakMemoryKB": 200, "maxMacs": 5000000 }'
  build_consumer "$side" compofa "CompOFA $v consumer"
  v="$(supernet_version MOOFA)"
  make_supernet_consumer moofa SubnetGen.Supernet.FashionMnist.MOOFA "$v" '{ "maxPeakMemoryKB": 150 }'
  build_consumer "$side" moofa "MOOFA $v consumer"

  if ! grep -q 'recalibrated' "$work/logs-$side/build-ofa.log"; then
    progress "note: the OFA build's log does not mention BN recalibration"
  fi
  sed 's/^/    /' "$work/summary-$side.txt"
}

do_side A "$side_A" "$label_A"
do_side B "$side_B" "$label_B"

# Compare.
echo
echo "comparing $label_A with $label_B:"
is_text() { case "$1" in *.json|*.cs|*.md|*.txt) return 0 ;; *) return 1 ;; esac; }
total=0 differ=0 only_a=0 only_b=0
while IFS= read -r path; do
  total=$((total + 1))
  a="$work/out-A/$path" b="$work/out-B/$path"
  if [ ! -e "$a" ]; then echo "DIFFERENT $path (only in B)"; differ=$((differ + 1)); only_b=$((only_b + 1)); continue; fi
  if [ ! -e "$b" ]; then echo "DIFFERENT $path (only in A)"; differ=$((differ + 1)); only_a=$((only_a + 1)); continue; fi
  if cmp -s "$a" "$b"; then
    echo "identical $path"
  else
    differ=$((differ + 1))
    echo "DIFFERENT $path"
    echo "    A $(sha256sum "$a" | cut -d' ' -f1)  $(stat -c %s "$a") bytes"
    echo "    B $(sha256sum "$b" | cut -d' ' -f1)  $(stat -c %s "$b") bytes"
    if is_text "$path"; then
      diff -u --label "A/$path" --label "B/$path" "$a" "$b" | head -n 40 | sed 's/^/    /' || true
    else
      echo "    $(cmp -l "$a" "$b" 2>/dev/null | wc -l) differing bytes in the common length (first: $(cmp "$a" "$b" 2>&1 | sed 's/^.*differ: //; s/, line [0-9]*$//'))"
    fi
  fi
done < <( { (cd "$work/out-A" && find . -type f); (cd "$work/out-B" && find . -type f); } | sed 's|^\./||' | LC_ALL=C sort -u)

echo
echo "took $((SECONDS - started)) s"
if [ "$differ" -eq 0 ]; then
  echo "$total files compared, all identical"
  exit 0
fi
if [ $((only_a + only_b)) -gt 0 ]; then
  echo "$differ of $total files differ ($only_a only in A, $only_b only in B)"
else
  echo "$differ of $total files differ"
fi
exit 1
