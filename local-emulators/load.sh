#!/usr/bin/env bash
# The bounded mixed load run (issue #17) on a sandbox of its own: free loopback ports, its own state directory under
# .test-sandbox/ (deleted afterwards), the emulators, the functions host and the sample partners started by sandbox.sh,
# then every flow at a steady rate for a fixed time (tests/Ndhm.Benchmarks `mixed-load`), then everything it started
# is stopped. The developer's sandbox is never touched.
#
#   local-emulators/load.sh [SECONDS] [OPS_PER_SECOND]     default 600 s at 1 operation/s (the full run)
#   local-emulators/load.sh 60 1                            the short version (test.sh runs it)
#   local-emulators/load.sh transfer-e2e [COUNT] [CONCURRENCY] issue #13's data-transfer figure on the same kind of
#                                                           sandbox: COUNT (20) transfers of 1 and of 10 care contexts
#                                                           and COUNT bare orchestrations (the floor), CONCURRENCY (4)
set -euo pipefail

MODE=mixed-load
if [[ "${1:-}" == transfer-e2e ]]; then MODE=transfer-e2e; shift; fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANDBOX="$ROOT/local-emulators/sandbox.sh"
SECONDS_TO_RUN="${1:-600}"
RATE="${2:-1}"
CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"
DIR="$ROOT/.test-sandbox/load-$$"
export COSMOS_DISABLE_IMDS_ACCESS=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

taken=" "
# A free port not handed out before in this run (other helpers may take one meanwhile: the start is retried once).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    [[ "$taken" == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { taken+="$port "; echo "$port"; return; }
  done
}

export NDHM_SANDBOX_DIR="$DIR" NDHM_CONFIGURATION="$CONFIGURATION"
pick_ports() {
  local name port
  for name in AZURITE_BLOB AZURITE_QUEUE AZURITE_TABLE COSMOS KEYVAULT HOST SAMPLE_PARTNERS; do
    free_port >"$DIR.port"; port="$(cat "$DIR.port")"; taken+="$port "; export "NDHM_${name}_PORT=$port"
  done
  rm -f "$DIR.port"
}
cleanup() { "$SANDBOX" down >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
mkdir -p "$DIR"

BENCH="$ROOT/tests/Ndhm.Benchmarks/bin/$CONFIGURATION/net10.0/Ndhm.Benchmarks.dll"
[[ -f "$BENCH" ]] || dotnet build "$ROOT/tests/Ndhm.Benchmarks" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q >&2
pick_ports
"$SANDBOX" up >&2 || { "$SANDBOX" down >/dev/null 2>&1 || true; echo "[load] a port was taken meanwhile; again on others" >&2; pick_ports; "$SANDBOX" up >&2; }
"$SANDBOX" host >&2
"$SANDBOX" partners >&2
if [[ "$MODE" == transfer-e2e ]]; then
  echo "[load] sandbox of its own in $DIR (host :$NDHM_HOST_PORT, partners :$NDHM_SAMPLE_PARTNERS_PORT); transfer-e2e" >&2
  dotnet "$BENCH" transfer-e2e "http://127.0.0.1:$NDHM_HOST_PORT" "http://127.0.0.1:$NDHM_SAMPLE_PARTNERS_PORT" "${1:-20}" "${2:-4}"
  exit $?
fi
echo "[load] sandbox of its own in $DIR (host :$NDHM_HOST_PORT, partners :$NDHM_SAMPLE_PARTNERS_PORT); ${SECONDS_TO_RUN} s at ${RATE}/s" >&2
dotnet "$BENCH" mixed-load "http://127.0.0.1:$NDHM_HOST_PORT" "http://127.0.0.1:$NDHM_SAMPLE_PARTNERS_PORT" "$SECONDS_TO_RUN" "$RATE" "$DIR/pids"
