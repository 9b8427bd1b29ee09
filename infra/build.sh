#!/usr/bin/env bash
# Builds and lints the Bicep templates with a pinned Bicep CLI, installed from NuGet on first use.
#
#   infra/build.sh            restore the CLI into .tools/, build main.bicep and both parameter files, lint every file
#
# Exit status is non-zero on any compile error or lint finding: infra/bicepconfig.json raises every core linter rule
# to "error", because `bicep lint` exits 0 on warnings. Needs only the .NET SDK (the repository's toolchain) and a
# NuGet source; nothing is installed system-wide. The compiled ARM JSON goes to .tools/bicep-out/ (git-ignored).
set -euo pipefail

BICEP_VERSION="0.49.2"
BICEP_PACKAGE="Azure.Bicep.CommandLine.linux-x64"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
pkgs="$tools/nuget"
out="$tools/bicep-out"
bicep="$pkgs/$(echo "$BICEP_PACKAGE" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION/tools/bicep"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "infra/build.sh: the pinned Bicep package is linux-x64 only; this is $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

if [[ ! -x "$bicep" ]]; then
  echo "infra/build.sh: restoring $BICEP_PACKAGE $BICEP_VERSION into .tools/"
  restore_dir="$tools/bicep-restore"
  mkdir -p "$restore_dir"
  # A throwaway project whose only job is to download the package (PackageDownload: no reference, no build).
  # The repository's Directory.Build.props / Directory.Packages.props (central package management, warnings as
  # errors) are not meant for it, so they are switched off on the command line.
  cat > "$restore_dir/bicep-cli.proj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$BICEP_PACKAGE" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
  dotnet restore "$restore_dir/bicep-cli.proj" --packages "$pkgs" \
    -p:ImportDirectoryBuildProps=false -p:ImportDirectoryPackagesProps=false -nologo -v:quiet
  chmod +x "$bicep"
fi

"$bicep" --version

cd "$root"
mkdir -p "$out"
failed=0
# bicepconfig.json governs the linter rules only: compiler warnings (BCP037 unknown property, BCP036 wrong type,
# ...) still exit 0, so any "Warning" line fails the build as well.
run() {
  echo "+ bicep $*"
  local log
  log="$(mktemp)"
  if ! "$bicep" "$@" 2>&1 | tee "$log"; then failed=1; fi # pipefail: the status is bicep's
  if grep -q ' : Warning ' "$log"; then failed=1; fi
  rm -f "$log"
}

run build infra/main.bicep --outfile "$out/main.json"
for param_file in infra/*.bicepparam; do
  run build-params "$param_file" --outfile "$out/$(basename "${param_file%.bicepparam}").parameters.json"
done
# One process per pattern: each start of the CLI costs seconds on a busy machine.
run lint --pattern 'infra/**/*.bicep'
run lint --pattern 'infra/**/*.bicepparam'

if [[ "$failed" -ne 0 ]]; then
  echo "infra/build.sh: FAILED (see the errors above)" >&2
  exit 1
fi
echo "infra/build.sh: all templates and parameter files build and lint clean"
