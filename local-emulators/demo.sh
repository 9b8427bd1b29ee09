#!/usr/bin/env bash
# The end-to-end story in one command: starts what of the sandbox is not running (emulators, functions host, sample
# partners; what it starts keeps running, stop it with `sandbox.sh down`), then runs `ndhm demo` against it: enrol a
# patient, records at a hospital and a lab, discover and link, consent, encrypted transfer, a teleconsultation with a
# prescription fulfilled by a pharmacy, revocation and the verified audit trail. Prints each step with its time and a
# live progress display, ends with a table of every step; exits non-zero when a step fails.
#
#   local-emulators/demo.sh [ndhm demo options]     e.g. --aadhaar 999900000059 --mobile 9000000005
#
# Ports as sandbox.sh (NDHM_HOST_PORT, NDHM_SAMPLE_PARTNERS_PORT, ...); NDHM_SANDBOX_DIR chooses the sandbox's state.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANDBOX="$ROOT/local-emulators/sandbox.sh"
CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"
HOST_PORT="${NDHM_HOST_PORT:-7071}"
PARTNERS_PORT="${NDHM_SAMPLE_PARTNERS_PORT:-7072}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '[demo] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
host_up() { curl -sf --max-time 3 -o /dev/null "http://127.0.0.1:$HOST_PORT/api/health"; }

if ! port_open "$HOST_PORT"; then
  say "nothing listens on $HOST_PORT: starting the sandbox (emulators, functions host) in the background"
  "$SANDBOX" up
  "$SANDBOX" host
elif [[ "${NDHM_DEMO_BUILD:-auto}" != never ]]; then
  "$SANDBOX" install   # builds only when a source changed (the CLI below must match the sources)
fi
for _ in $(seq 1 240); do host_up && break; sleep 0.5; done
host_up || { say "the functions host on $HOST_PORT does not answer /api/health"; exit 1; }
# Sample partners already listening but still registering are waited for by the story's first step.
if ! port_open "$PARTNERS_PORT"; then
  say "nothing listens on $PARTNERS_PORT: starting the sample partners in the background"
  "$SANDBOX" partners
fi

exec dotnet "$ROOT/functions/Ndhm.Cli/bin/$CONFIGURATION/net10.0/ndhm.dll" demo \
  --base-url "http://localhost:$HOST_PORT" --partners-url "http://127.0.0.1:$PARTNERS_PORT" "$@"
