#!/usr/bin/env bash
# The local sandbox: Azurite (blobs, queues, tables), the Cosmos DB emulator, the local Key Vault keys endpoint
# and the local functions host, installed and started by this script alone.
#
#   local-emulators/sandbox.sh            install, start everything, run the functions host in the foreground;
#                                         Ctrl-C stops what this run started
#   local-emulators/sandbox.sh up         start the emulators in the background (idempotent)
#   local-emulators/sandbox.sh host       start the functions host in the background (idempotent)
#   local-emulators/sandbox.sh down       stop everything the scripts started (and nothing else)
#   local-emulators/sandbox.sh status     what runs where
#   local-emulators/sandbox.sh reset      down, then delete all sandbox data
#   local-emulators/sandbox.sh install    npm packages and the .NET build only
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

build_dotnet() {
  say "building the solution ($CONFIGURATION)"
  dotnet build "$ROOT/NdhmFunctions.sln" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q >&2
}

install() { install_npm; build_dotnet; }

pid_alive() { [[ -f "$PIDS/$1.pid" ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME READY_CHECK COMMAND...: runs COMMAND in its own session, logs to logs/NAME.log, waits for READY_CHECK.
start() {
  local name="$1" ready="$2"; shift 2
  mkdir -p "$LOGS" "$PIDS"
  if pid_alive "$name"; then
    say "$name already running (pid $(cat "$PIDS/$name.pid"))"
    return 0
  fi
  say "starting $name"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! >"$PIDS/$name.pid"
  local deadline=$((SECONDS + ${NDHM_START_TIMEOUT:-90}))
  until eval "$ready"; do
    if ! pid_alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      rm -f "$PIDS/$name.pid"
      die "$name exited during start-up (log: $LOGS/$name.log)"
    fi
    (( SECONDS < deadline )) || { tail -n 30 "$LOGS/$name.log" >&2; die "$name did not become ready (log: $LOGS/$name.log)"; }
    sleep 0.3
  done
  say "$name ready"
}

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

up() {
  install_npm
  [[ -f "$EMU/Ndhm.LocalKeyVault/bin/$CONFIGURATION/net10.0/Ndhm.LocalKeyVault.dll" ]] || build_dotnet
  mkdir -p "$DATA/azurite" "$DATA/cosmos" "$DATA/keyvault"
  check_port_free azurite "$AZURITE_QUEUE_PORT"
  check_port_free cosmos "$COSMOS_PORT"
  check_port_free keyvault "$KEYVAULT_PORT"
  start azurite "port_open $AZURITE_BLOB_PORT && port_open $AZURITE_QUEUE_PORT && port_open $AZURITE_TABLE_PORT" \
    "$EMU/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --disableProductStyleUrl \
    --location "$DATA/azurite" \
    --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
    --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT"
  start cosmos "curl -sk -o /dev/null https://127.0.0.1:$COSMOS_PORT/" \
    node "$EMU/cosmos/server.js" --host 127.0.0.1 --port "$COSMOS_PORT" --data-dir "$DATA/cosmos"
  start keyvault "curl -s -o /dev/null -H 'Authorization: Bearer $KEYVAULT_TOKEN' http://127.0.0.1:$KEYVAULT_PORT/keys/ndhm-signing?api-version=7.5" \
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
}

down() {
  stop host
  stop keyvault
  stop cosmos
  stop azurite
}

status() {
  for name in azurite cosmos keyvault host; do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$PIDS/$name.pid"))"; else echo "$name: stopped"; fi
  done
  echo "azurite  http://127.0.0.1:$AZURITE_BLOB_PORT (blob) :$AZURITE_QUEUE_PORT (queue) :$AZURITE_TABLE_PORT (table)"
  echo "cosmos   https://127.0.0.1:$COSMOS_PORT/"
  echo "keyvault http://127.0.0.1:$KEYVAULT_PORT/"
  echo "host     http://127.0.0.1:$HOST_PORT/api (health: /api/health, OpenAPI: /api/openapi.json)"
  echo "data     $DATA"
}

# Globals, not locals: the EXIT trap runs after run() has returned.
started_here=()
host_pid=""

stop_started_here() {
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  for n in "${started_here[@]}"; do stop "$n"; done
}

run() {
  install
  for name in azurite cosmos keyvault; do pid_alive "$name" || started_here+=("$name"); done
  trap stop_started_here EXIT
  # A background job of a script ignores SIGINT, so Ctrl-C reaches this shell, which stops the host itself.
  trap 'exit 130' INT TERM
  up
  pid_alive host && die "a functions host is already running (pid $(cat "$PIDS/host.pid")); use '$0 down' first"
  host_environment
  status
  say "functions host on http://127.0.0.1:$HOST_PORT (Ctrl-C stops the sandbox)"
  # shellcheck disable=SC2046
  $(host_command) &
  host_pid=$!
  wait "$host_pid"
}

case "${1:-run}" in
  run) run ;;
  up) up ;;
  host) host ;;
  down) down ;;
  status) status ;;
  install) install ;;
  reset) down; rm -rf "$DATA"; say "sandbox data deleted" ;;
  stop-one) stop "${2:?name}" ;;
  *) die "unknown command '$1' (run|up|host|down|status|reset|install)" ;;
esac
