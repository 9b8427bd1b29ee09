#!/usr/bin/env bash
# Issue #13: a partner installs the data-transfer library (Ndhm.DataTransfer.Partners) from a feed of its own. This
# packs it into a temporary folder, then restores, builds and runs a tiny consumer project with NuGet offline: its
# only sources are that folder and the packages already on this machine (the global packages folder, read as a local
# feed), with a fresh packages folder so every package really comes from those sources. nuget.org is never asked.
#
#   local-emulators/partner-package.sh            pack, then restore/build/run the consumer (a minute or two)
#   local-emulators/partner-package.sh --keep     leave the temporary folder (the .nupkg) and print where it is
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ndhm-partner-package.XXXXXX")"
[[ "${1:-}" == --keep ]] || trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
GLOBAL_PACKAGES="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
VERSION="0.1.0-check.$(date +%s)"
# The check packs what the other scripts build (Debug unless NDHM_CONFIGURATION says otherwise), so it compiles little;
# a package to hand out is packed with -c Release (functions/Ndhm.DataTransfer/README.md).
CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"

echo "[package] packing Ndhm.DataTransfer.Partners $VERSION into $WORK/feed" >&2
dotnet pack "$ROOT/functions/Ndhm.DataTransfer.Partners" -c "$CONFIGURATION" -o "$WORK/feed" -p:Version="$VERSION" -nologo -clp:ErrorsOnly -v:q >&2
unzip -l "$WORK/feed/Ndhm.DataTransfer.Partners.$VERSION.nupkg" | awk '/lib\//{print "  " $4}' >&2
unzip -p "$WORK/feed/Ndhm.DataTransfer.Partners.$VERSION.nupkg" Ndhm.DataTransfer.Partners.nuspec | grep '<dependency ' | sed 's/^ */  depends on /' >&2
if unzip -p "$WORK/feed/Ndhm.DataTransfer.Partners.$VERSION.nupkg" Ndhm.DataTransfer.Partners.nuspec | grep -q 'id="Ndhm\.'; then
  echo "[package] FAILED: the package depends on an Ndhm.* package no partner feed serves" >&2
  exit 1
fi

mkdir -p "$WORK/consumer"
cat >"$WORK/consumer/NuGet.Config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="partner-feed" value="$WORK/feed" />
    <add key="packages-on-this-machine" value="$GLOBAL_PACKAGES" />
  </packageSources>
</configuration>
CONFIG
cat >"$WORK/consumer/Consumer.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <NuGetAudit>false</NuGetAudit>
    <!-- As in the repository (Directory.Build.props): the packages on this machine may hold a nearby patch version. -->
    <NoWarn>NU1603</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Ndhm.DataTransfer.Partners" Version="$VERSION" />
  </ItemGroup>
</Project>
PROJECT
# What a HIP and a HIU write first: the sender and the receiver's pieces, fresh key material, a prescription document.
cat >"$WORK/consumer/Program.cs" <<'CODE'
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fidelius;

var keys = FideliusKeyMaterial.Generate(TimeProvider.System, TimeSpan.FromHours(1));
using var http = new HttpClient();
var sender = new HipDataSender(http, TimeProvider.System);
var log = new InMemoryPushPageLog();
var bundle = SampleRecords.Prescription("asha.verma@sbx", "IN2710000001", DateTimeOffset.UtcNow);
Console.WriteLine($"consumer ok: {sender.GetType().Name}, {log.GetType().Name}, key material {keys.GetType().Name}, prescription bundle of {bundle.Entry.Count} entries");
CODE

echo "[package] restoring the consumer offline (sources: the feed and $GLOBAL_PACKAGES only; packages into a fresh folder)" >&2
dotnet restore "$WORK/consumer" --configfile "$WORK/consumer/NuGet.Config" --packages "$WORK/packages" -nologo -v:q >&2
dotnet build "$WORK/consumer" --no-restore -c Release -nologo -clp:ErrorsOnly -v:q >&2
dotnet "$WORK/consumer/bin/Release/net10.0/Consumer.dll"
[[ "${1:-}" != --keep ]] || echo "[package] kept $WORK" >&2
