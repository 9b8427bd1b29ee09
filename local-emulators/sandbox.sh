#!/usr/bin/env bash
# The local sandbox: Azurite (blobs, queues, tables), the Cosmos DB emulator, the local Key Vault keys endpoint
# and the local functions host, installed and started by this script alone.
#
#   local-emulators/sandbox.sh            install, start everything, run the functions host in the foreground;
#                                         Ctrl-C stops what this run started
#   local-emulators/sandbox.sh up [NAME]  start the emulators (or only azurite, cosmos, keyvault) in the background (idempotent)
#   local-emulators/sandbox.sh host       start the functions host in the background (idempotent)
#   local-emulators/sandbox.sh partners   start the sample partners (Ndhm.SamplePartners) in the background against
#                                         the host (idempotent); the foreground run starts them too
#   local-emulators/sandbox.sh down       stop everything the scripts started (and nothing else)
#   local-emulators/sandbox.sh status     what runs where (the foreground host too), and whether the host answers
#   local-emulators/sandbox.sh reset      down, then delete all sandbox data
#   local-emulators/sandbox.sh install    npm packages and the .NET build only (skipped when no source changed)
#
# State lives under $NDHM_SANDBOX_DIR (default: .sandbox/ at the repository root): data/, logs/, pids/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EMU="$ROOT/local-emulators"
STATE="${NDHM_SANDBOX_DIR:-$ROOT/.sandbox}"
DATA="$STATE/data"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"

AZURITE_BLOB_PORT="${NDHM_AZURITE_BLOB_PORT:-10000}"
AZURITE_QUEUE_PORT="${NDHM_AZURITE_QUEUE_PORT:-10001}"
AZURITE_TABLE_PORT="${NDHM_AZURITE_TABLE_PORT:-10002}"
COSMOS_PORT="${NDHM_COSMOS_PORT:-8081}"
KEYVAULT_PORT="${NDHM_KEYVAULT_PORT:-8443}"
HOST_PORT="${NDHM_HOST_PORT:-7071}"
PARTNERS_PORT="${NDHM_SAMPLE_PARTNERS_PORT:-7072}"
KEYVAULT_TOKEN="sandbox"

export COSMOS_DISABLE_IMDS_ACCESS=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '[sandbox] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

install_npm() {
  command -v node >/dev/null || die "node is required (Node.js 20+)"
  local stamp="$EMU/node_modules/.package-lock.json"
  if [[ ! -f "$stamp" || "$EMU/package-lock.json" -nt "$stamp" ]]; then
    say "installing emulator packages (npm ci)"
    (cd "$EMU" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# Written after a successful build; a build is due when any file that goes into one is newer (a no-op
# `dotnet build` of the solution still costs ~30 s, most of a start).
BUILD_STAMP="$EMU/Ndhm.LocalHost/bin/$CONFIGURATION/net10.0/.sandbox-build-stamp"

sources_changed_since_build() {
  [[ -f "$BUILD_STAMP" ]] || return 0
  [[ -n "$(find "$ROOT/functions" "$ROOT/local-emulators" "$ROOT/tests" \
      \( -name bin -o -name obj -o -name node_modules -o -path "$EMU/cosmos" \) -prune \
      -o -type f ! -name '*.md' ! -name '*.sh' -newer "$BUILD_STAMP" -print -quit)" ]] && return 0
  [[ -n "$(find "$ROOT" -maxdepth 1 -type f \( -name '*.sln' -o -name '*.props' -o -name '*.targets' -o -name '*.json' \
      -o -name 'nuget.config' -o -name 'NuGet.config' \) -newer "$BUILD_STAMP" -print -quit)" ]]
}

build_dotnet() {
  say "building the solution ($CONFIGURATION)"
  local stamp_time; stamp_time="$(mktemp)"   # sources saved during the build make the next start build again
  dotnet build "$ROOT/NdhmFunctions.sln" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q >&2
  mv -f "$stamp_time" "$BUILD_STAMP"
}

build_if_changed() {
  if [[ "${NDHM_SANDBOX_BUILD:-auto}" == always ]] || sources_changed_since_build; then
    build_dotnet
  else
    say "build is up to date (nothing changed since $(date -r "$BUILD_STAMP" '+%F %T'); NDHM_SANDBOX_BUILD=always forces one)"
  fi
}

# The web app's browser tests drive Debian's chromium (never a browser download); installed once when missing.
install_browser() {
  [[ -x "${NDHM_CHROMIUM:-/usr/bin/chromium}" ]] && return 0
  command -v apt-get >/dev/null || die "chromium is required for the browser tests (set NDHM_CHROMIUM to its path)"
  say "installing chromium (apt-get) for the browser tests"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2
}

# The README's walkthrough scripts (and the test that runs them) use curl and jq.
install_tools() {
  local missing=() tool
  for tool in curl jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  (( ${#missing[@]} == 0 )) && return 0
  command -v apt-get >/dev/null || die "${missing[*]} required for the walkthrough scripts"
  say "installing ${missing[*]} (apt-get) for the walkthrough scripts"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2
}

install() { install_npm; install_browser; install_tools; build_if_changed; }

pid_alive() { [[ -f "$PIDS/$1.pid" ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# launch NAME READY_CHECK COMMAND...: runs COMMAND in its own session, logging to logs/NAME.log, without waiting;
# await_ready NAME then waits for its READY_CHECK. The emulators start side by side: a start waits for the slowest, not the sum.
launch() {
  local name="$1" ready="$2"; shift 2
  mkdir -p "$LOGS" "$PIDS"
  if pid_alive "$name"; then
    say "$name already running (pid $(cat "$PIDS/$name.pid"))"
    return 0
  fi
  say "starting $name"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! >"$PIDS/$name.pid"
  printf -v "ready_check_$name" '%s' "$ready"
}

await_ready() {
  local name="$1" check="ready_check_$1"
  local ready="${!check:-}"
  [[ -n "$ready" ]] || return 0
  local deadline=$((SECONDS + ${NDHM_START_TIMEOUT:-90}))
  until eval "$ready"; do
    if ! pid_alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      rm -f "$PIDS/$name.pid"
      die "$name exited during start-up (log: $LOGS/$name.log)"
    fi
    (( SECONDS < deadline )) || { tail -n 30 "$LOGS/$name.log" >&2; die "$name did not become ready (log: $LOGS/$name.log)"; }
    sleep 0.1
  done
  unset "$check"
  say "$name ready"
}

start() { launch "$@"; await_ready "$1"; }

# Some emulators (Azurite) ignore SIGTERM for a while: ask, wait, then insist. Only PIDs we recorded are touched.
stop() {
  local name="$1"
  pid_alive "$name" || { rm -f "$PIDS/$name.pid"; return 0; }
  local pid; pid="$(cat "$PIDS/$name.pid")"
  say "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name.pid"
}

check_port_free() {
  local name="$1" port="$2"
  if ! pid_alive "$name" && port_open "$port"; then
    die "port $port (for $name) is in use by another program; stop it or set NDHM_*_PORT"
  fi
}

# up [NAME...]: the named emulators (default all three).
up() {
  launch_emulators "$@"
  for name in "${launched[@]}"; do await_ready "$name"; done
}

launched=()
launch_emulators() {
  local names=("$@")
  (( ${#names[@]} )) || names=(azurite cosmos keyvault)
  install_npm
  [[ -f "$EMU/Ndhm.LocalKeyVault/bin/$CONFIGURATION/net10.0/Ndhm.LocalKeyVault.dll" ]] || build_dotnet
  for name in "${names[@]}"; do
    case "$name" in
      azurite) mkdir -p "$DATA/azurite"; check_port_free azurite "$AZURITE_QUEUE_PORT"; start_azurite ;;
      cosmos) mkdir -p "$DATA/cosmos"; check_port_free cosmos "$COSMOS_PORT"; start_cosmos ;;
      keyvault) mkdir -p "$DATA/keyvault"; check_port_free keyvault "$KEYVAULT_PORT"; start_keyvault ;;
      *) die "unknown emulator '$name' (azurite|cosmos|keyvault)" ;;
    esac
  done
  launched=("${names[@]}")
}

start_azurite() {
  launch azurite "port_open $AZURITE_BLOB_PORT && port_open $AZURITE_QUEUE_PORT && port_open $AZURITE_TABLE_PORT" \
    "$EMU/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --disableProductStyleUrl \
    --location "$DATA/azurite" \
    --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
    --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT"
}

start_cosmos() {
  launch cosmos "curl -sk -o /dev/null https://127.0.0.1:$COSMOS_PORT/" \
    node "$EMU/cosmos/server.js" --host 127.0.0.1 --port "$COSMOS_PORT" --data-dir "$DATA/cosmos"
}

start_keyvault() {
  launch keyvault "curl -s -o /dev/null -H 'Authorization: Bearer $KEYVAULT_TOKEN' http://127.0.0.1:$KEYVAULT_PORT/keys/ndhm-signing?api-version=7.5" \
    dotnet "$EMU/Ndhm.LocalKeyVault/bin/$CONFIGURATION/net10.0/Ndhm.LocalKeyVault.dll" \
    --urls "http://127.0.0.1:$KEYVAULT_PORT" --data-dir "$DATA/keyvault" --token "$KEYVAULT_TOKEN"
}

host_environment() {
  export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
  export Cosmos__Endpoint="https://127.0.0.1:$COSMOS_PORT/"
  export KeyVault__Uri="http://127.0.0.1:$KEYVAULT_PORT/"
  export Auth__Issuer="http://localhost:$HOST_PORT/api"
  export Platform__PublicBaseUrl="http://localhost:$HOST_PORT"
}

host_command() {
  echo dotnet "$EMU/Ndhm.LocalHost/bin/$CONFIGURATION/net10.0/Ndhm.LocalHost.dll" --urls "http://127.0.0.1:$HOST_PORT"
}

host() {
  [[ -f "$EMU/Ndhm.LocalHost/bin/$CONFIGURATION/net10.0/Ndhm.LocalHost.dll" ]] || build_dotnet
  check_port_free host "$HOST_PORT"
  host_environment
  # shellcheck disable=SC2046
  start host "curl -s -o /dev/null http://127.0.0.1:$HOST_PORT/api/health" $(host_command)
  echo background >"$PIDS/host.mode"
}

# The sample partners register themselves with the host over HTTP (retrying while it starts), then answer on
# /health with "ready".
partners_ready_check() { echo "curl -sf --max-time 2 http://127.0.0.1:$PARTNERS_PORT/health | grep -q '\"ready\"'"; }

partners_command() {
  echo dotnet "$EMU/Ndhm.SamplePartners/bin/$CONFIGURATION/net10.0/Ndhm.SamplePartners.dll" --urls "http://127.0.0.1:$PARTNERS_PORT" \
    --platform "http://localhost:$HOST_PORT" --state-file "$DATA/sample-partners/state.json"
}

partners() {
  [[ -f "$EMU/Ndhm.SamplePartners/bin/$CONFIGURATION/net10.0/Ndhm.SamplePartners.dll" ]] || build_dotnet
  check_port_free partners "$PARTNERS_PORT"
  # shellcheck disable=SC2046
  start partners "$(partners_ready_check)" $(partners_command)
}

down() {
  stop partners
  stop host
  rm -f "$PIDS/host.mode"
  stop keyvault
  stop cosmos
  stop azurite
}

host_answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$HOST_PORT/api/health"; }

status() {
  for name in azurite cosmos keyvault; do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$PIDS/$name.pid"))"; else echo "$name: stopped"; fi
  done
  # The foreground sandbox records its host too (host.mode says which way it was started).
  if pid_alive host; then
    local how="background, 'sandbox.sh host'"
    [[ "$(cat "$PIDS/host.mode" 2>/dev/null)" == foreground ]] && how="foreground, 'sandbox.sh'"
    local health="not answering yet"
    host_answers && health="answering on :$HOST_PORT"
    echo "host: running (pid $(cat "$PIDS/host.pid"), $how; $health)"
  elif port_open "$HOST_PORT"; then
    echo "host: not started by these scripts, but something listens on :$HOST_PORT"
  else
    echo "host: stopped"
  fi
  echo "azurite  http://127.0.0.1:$AZURITE_BLOB_PORT (blob) :$AZURITE_QUEUE_PORT (queue) :$AZURITE_TABLE_PORT (table)"
  echo "cosmos   https://127.0.0.1:$COSMOS_PORT/"
  echo "keyvault http://127.0.0.1:$KEYVAULT_PORT/"
  echo "host     http://127.0.0.1:$HOST_PORT/api (health: /api/health, OpenAPI: /api/openapi.json)"
  if pid_alive partners; then echo "partners: running (pid $(cat "$PIDS/partners.pid"))"; else echo "partners: stopped"; fi
  echo "partners http://127.0.0.1:$PARTNERS_PORT (sample HIPs hospital and lab, HIUs clinic and pharmacy; /partners, /inbox)"
  echo "data     $DATA"
}

# Globals, not locals: the EXIT trap runs after run() has returned.
started_here=()
host_pid=""

stop_started_here() {
  [[ " ${started_here[*]} " != *" partners "* ]] || stop partners   # before the host they talk to
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  if [[ -n "$host_pid" && "$(cat "$PIDS/host.pid" 2>/dev/null)" == "$host_pid" ]]; then rm -f "$PIDS/host.pid" "$PIDS/host.mode"; fi
  for n in "${started_here[@]}"; do stop "$n"; done
}

run() {
  install
  for name in azurite cosmos keyvault; do pid_alive "$name" || started_here+=("$name"); done
  trap stop_started_here EXIT
  # A background job of a script ignores SIGINT, so Ctrl-C reaches this shell, which stops the host itself.
  trap 'exit 130' INT TERM
  pid_alive host && die "a functions host is already running (pid $(cat "$PIDS/host.pid")); use '$0 down' first"
  check_port_free host "$HOST_PORT"
  launch_emulators
  # The host needs storage at start-up; Cosmos and Key Vault it retries, so it starts while they come up.
  await_ready azurite
  host_environment
  # shellcheck disable=SC2046
  $(host_command) &
  host_pid=$!
  echo "$host_pid" >"$PIDS/host.pid"
  echo foreground >"$PIDS/host.mode"
  # The sample partners register with the host once it answers (retrying while it starts); they are stopped with the rest.
  if ! pid_alive partners; then
    check_port_free partners "$PARTNERS_PORT"
    # shellcheck disable=SC2046
    launch partners "$(partners_ready_check)" $(partners_command)
    started_here+=(partners)
  fi
  await_ready cosmos
  await_ready keyvault
  status
  say "functions host on http://127.0.0.1:$HOST_PORT, sample partners on http://127.0.0.1:$PARTNERS_PORT (Ctrl-C stops the sandbox)"
  wait "$host_pid"
}

case "${1:-run}" in
  run) run ;;
  up) shift; up "$@" ;;
  host) host ;;
  partners) partners ;;
  down) down ;;
  status) status ;;
  install) install ;;
  reset) down; rm -rf "$DATA"; say "sandbox data deleted" ;;
  stop-one) stop "${2:?name}"; [[ "$2" != host ]] || rm -f "$PIDS/host.mode" ;;
  *) die "unknown command '$1' (run|up|host|partners|down|status|reset|install)" ;;
esac
