#!/usr/bin/env bash
# Runs every test: builds, lints the Bicep, runs the unit tests (no services), starts the emulators it needs
# (reusing any the sandbox already runs), runs the integration tests against them over HTTP, and stops what it
# started. Exits non-zero on any failure. Extra arguments go to every `dotnet test`, e.g. --filter Name~Health.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANDBOX="$ROOT/local-emulators/sandbox.sh"
export NDHM_CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"
export COSMOS_DISABLE_IMDS_ACCESS=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STATE="${NDHM_SANDBOX_DIR:-$ROOT/.sandbox}"
# Tell the integration tests where the emulators listen (the sandbox's ports unless moved with NDHM_*_PORT).
export NDHM_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${NDHM_AZURITE_BLOB_PORT:-10000}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${NDHM_AZURITE_QUEUE_PORT:-10001}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${NDHM_AZURITE_TABLE_PORT:-10002}/devstoreaccount1;"
export NDHM_COSMOS_ENDPOINT="https://127.0.0.1:${NDHM_COSMOS_PORT:-8081}/"
export NDHM_KEYVAULT_URI="http://127.0.0.1:${NDHM_KEYVAULT_PORT:-8443}/"
started=()
failed=0
passed_total=0
failed_total=0
skipped_total=0

say() { printf '[test] %s\n' "$*" >&2; }

cleanup() {
  for name in "${started[@]}"; do
    NDHM_SANDBOX_DIR="$STATE" "$SANDBOX" stop-one "$name" 2>/dev/null || true
  done
}
trap cleanup EXIT

"$SANDBOX" install

if [[ -x "$ROOT/infra/build.sh" ]]; then
  say "bicep: build and lint"
  "$ROOT/infra/build.sh"
fi

run_tests() {
  local project="$1"; shift
  say "dotnet test $project"
  local log; log="$(mktemp)"
  dotnet test "$ROOT/tests/$project" -c "$NDHM_CONFIGURATION" --no-build --nologo \
    "$@" 2>&1 | tee "$log" || failed=1
  # dotnet test's own summary: "Passed!  - Failed:     0, Passed:    77, Skipped:     0, Total: ..."
  local summary; summary="$(grep -E '(Passed|Failed)! +- Failed: ' "$log" | tail -n 1)"
  if [[ -z "$summary" ]] && grep -q "No test matches the given testcase filter" "$log"; then
    say "$project: no test matches the filter"
  elif [[ -z "$summary" ]]; then
    say "$project: no test summary (build or host failure?)"; failed=1
  else
    passed_total=$((passed_total + $(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")))
    failed_total=$((failed_total + $(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")))
    skipped_total=$((skipped_total + $(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")))
  fi
  rm -f "$log"
}

for project in Ndhm.UnitTests Ndhm.Fidelius.Tests Ndhm.Fhir.Tests; do
  run_tests "$project" "$@"
done

for name in azurite cosmos keyvault; do
  [[ -f "$STATE/pids/$name.pid" ]] && kill -0 "$(cat "$STATE/pids/$name.pid")" 2>/dev/null || started+=("$name")
done
"$SANDBOX" up
run_tests Ndhm.IntegrationTests "$@"

echo "$passed_total passed, $failed_total failed, $skipped_total skipped"
if (( failed )); then
  say "FAILED"
  exit 1
fi
say "all tests passed"
