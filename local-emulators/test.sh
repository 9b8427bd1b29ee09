#!/usr/bin/env bash
# Runs every test: builds, lints the Bicep, runs the unit tests (no services), starts the emulators it needs,
# runs the integration tests against them over HTTP, checks the sandbox script's start and stop, and stops what
# it started. Exits non-zero on any failure. Extra arguments go to every `dotnet test`, e.g. --filter Name~Health.
#
# The developer's sandbox is never written to. Emulators the sandbox already runs (same ports) are reused, and the
# tests keep their data in resources named for the run (Cosmos database, queues, task hubs, blob containers,
# tables), removed at the end; the integration tests compare the sandbox's own data before and after
# (NDHM_TEST_SANDBOX_CHECK). Emulators the sandbox does not run are started with this run's own state directory
# under .test-sandbox/, deleted at the end, and the developer's .sandbox/ must then be byte-identical afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANDBOX="$ROOT/local-emulators/sandbox.sh"
export NDHM_CONFIGURATION="${NDHM_CONFIGURATION:-Debug}"
export COSMOS_DISABLE_IMDS_ACCESS=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STATE="${NDHM_SANDBOX_DIR:-$ROOT/.sandbox}"          # the developer's sandbox
RUNS="$ROOT/.test-sandbox"
RUN_STATE="$RUNS/run-$(date -u +%Y%m%d%H%M%S)-$$"    # emulators this run starts itself
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
  if (( ${#started[@]} )); then
    NDHM_SANDBOX_DIR="$RUN_STATE" "$SANDBOX" down 2>/dev/null || true
  fi
  rm -rf "$RUN_STATE"
  rmdir "$RUNS" 2>/dev/null || true
}
trap cleanup EXIT

# Every file of the developer's sandbox directory with its digest (or that there is none).
sandbox_digest() {
  if [[ -d "$STATE" ]]; then
    (cd "$STATE" && find . | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  else
    echo "no $STATE"
  fi
}

# State directories of earlier runs that died without cleaning up: stop what they recorded, then delete them.
remove_stale_runs() {
  [[ -d "$RUNS" ]] || return 0
  local dir owner
  for dir in "$RUNS"/run-* "$RUNS"/lifecycle-*; do
    [[ -d "$dir" ]] || continue
    owner="${dir##*-}"
    if [[ "$owner" =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null; then continue; fi   # a test.sh still running
    say "removing the leftovers of an earlier run: $dir"
    NDHM_SANDBOX_DIR="$dir" "$SANDBOX" down 2>/dev/null || true
    rm -rf "$dir"
  done
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

sandbox_before="$(sandbox_digest)"
"$SANDBOX" install
remove_stale_runs

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
  local summary; summary="$(grep -E '(Passed|Failed)! +- Failed: ' "$log" | tail -n 1 || true)"
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

# Reuse what the developer's sandbox runs; start the rest with this run's own state.
for name in azurite cosmos keyvault; do
  [[ -f "$STATE/pids/$name.pid" ]] && kill -0 "$(cat "$STATE/pids/$name.pid")" 2>/dev/null || started+=("$name")
done
own_emulators=0
if (( ${#started[@]} == 3 )); then
  own_emulators=1
  say "the sandbox's emulators are not running: starting them with this run's own data ($RUN_STATE)"
else
  say "reusing the sandbox's running emulators; the tests use their own databases, queues and containers"
fi
if (( ${#started[@]} )); then
  NDHM_SANDBOX_DIR="$RUN_STATE" "$SANDBOX" up "${started[@]}"
fi

report="$(mktemp)"
NDHM_TEST_SANDBOX_CHECK=1 NDHM_TEST_SANDBOX_REPORT="$report" run_tests Ndhm.IntegrationTests "$@"
if [[ -s "$report" ]]; then
  sed 's/^/[test] /' "$report" >&2
  grep -q '^sandbox unchanged' "$report" || { say "FAILED: the developer's sandbox data changed (see above)"; failed=1; }
else
  say "FAILED: the integration tests wrote no sandbox report (did they run?)"; failed=1
fi
rm -f "$report"

# The end-to-end story (local-emulators/demo.sh, `ndhm demo`) against the lifecycle step's sandbox while it runs:
# its own state and ports, so the developer's sandbox data is never touched. Called by lifecycle before SIGTERM.
story_demo() {
  local dir="$1" port="$2" partners_port="$3" start=$SECONDS
  # The foreground run starts the sample partners just after the host: wait until they listen, or demo.sh would start more.
  for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$partners_port") 2>/dev/null && break; sleep 0.5; done
  if NDHM_SANDBOX_DIR="$dir" NDHM_HOST_PORT="$port" NDHM_SAMPLE_PARTNERS_PORT="$partners_port" NDHM_DEMO_BUILD=never \
      "$ROOT/local-emulators/demo.sh" >"$dir/demo.out" 2>&1; then
    say "end-to-end story: every step passed in $((SECONDS - start)) s ($(grep -c '^PASS' "$dir/demo.out") steps)"
  else
    cat "$dir/demo.out" >&2
    say "FAILED: end-to-end story (local-emulators/demo.sh against the lifecycle sandbox)"
    return 1
  fi
}

# The sandbox script itself: start in run mode on free ports with its own state, wait until healthy, SIGTERM it,
# and every process it recorded must be gone.
lifecycle() {
  local dir="$RUNS/lifecycle-$$" port partners_port pids=() start=$SECONDS demo_failed=0
  mkdir -p "$dir"
  port="$(free_port)"
  partners_port="$(free_port)"
  NDHM_SANDBOX_DIR="$dir" NDHM_HOST_PORT="$port" NDHM_AZURITE_BLOB_PORT="$(free_port)" \
    NDHM_AZURITE_QUEUE_PORT="$(free_port)" NDHM_AZURITE_TABLE_PORT="$(free_port)" NDHM_COSMOS_PORT="$(free_port)" \
    NDHM_KEYVAULT_PORT="$(free_port)" NDHM_SAMPLE_PARTNERS_PORT="$partners_port" "$SANDBOX" >"$dir/sandbox.out" 2>&1 &
  local sandbox_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/health"; do
    if ! kill -0 "$sandbox_pid" 2>/dev/null || (( SECONDS - start > 300 )); then
      tail -n 30 "$dir/sandbox.out" >&2; kill -TERM "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true
      say "FAILED: sandbox lifecycle: the sandbox did not become healthy"; rm -rf "$dir"; return 1
    fi
    sleep 0.5
  done
  local healthy=$((SECONDS - start))
  for file in "$dir"/pids/*.pid; do pids+=("$(cat "$file")"); done
  local status; status="$(NDHM_SANDBOX_DIR="$dir" NDHM_HOST_PORT="$port" "$SANDBOX" status)"
  grep -q '^host: running (pid [0-9]*, foreground' <<<"$status" \
    || { printf '%s\n' "$status" >&2; tail -n 30 "$dir/sandbox.out" >&2
         say "FAILED: sandbox lifecycle: status does not report the foreground host"; kill -TERM "$sandbox_pid"; wait "$sandbox_pid" || true; rm -rf "$dir"; return 1; }
  story_demo "$dir" "$port" "$partners_port" || demo_failed=1
  kill -TERM "$sandbox_pid"
  wait "$sandbox_pid" 2>/dev/null || true
  local alive=()
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$dir"
  if (( ${#pids[@]} != 5 || ${#alive[@]} )); then
    say "FAILED: sandbox lifecycle: recorded ${#pids[@]} processes (want 5: azurite, cosmos, keyvault, host, sample partners); still alive after SIGTERM: ${alive[*]:-none}"
    return 1
  fi
  say "sandbox lifecycle: healthy ${healthy} s after start, status named the foreground host, SIGTERM stopped all 5 recorded processes"
  return "$demo_failed"
}
if [[ $# -eq 0 ]]; then lifecycle || failed=1; fi

# The bounded mixed load run, short: its own sandbox, every flow at 1 operation/s for 30 s (the full run is
# `local-emulators/load.sh`, 600 s); any error other than a deliberate 429 fails the step. NDHM_TEST_LOAD=0 skips it.
load_short() {
  local log; log="$(mktemp)"
  if "$ROOT/local-emulators/load.sh" 30 1 >"$log" 2>&1; then
    grep -v '^\[sandbox\]' "$log" | sed 's/^/[test] load: /' >&2
  else
    tail -n 40 "$log" >&2; say "FAILED: the short load run"; rm -f "$log"; return 1
  fi
  rm -f "$log"
}
if [[ $# -eq 0 && "${NDHM_TEST_LOAD:-1}" == 1 ]]; then load_short || failed=1; fi

# The partner package (Ndhm.DataTransfer.Partners) installs from a feed of its own: packed to a temp folder, a tiny
# consumer restored offline from it, built and run (functions/Ndhm.DataTransfer/README.md). NDHM_TEST_PACKAGE=0 skips it.
partner_package() {
  local log; log="$(mktemp)"
  if "$ROOT/local-emulators/partner-package.sh" >"$log" 2>&1; then
    say "partner package: $(tail -n 1 "$log")"
  else
    tail -n 40 "$log" >&2; say "FAILED: the partner package does not install from its own feed"; rm -f "$log"; return 1
  fi
  rm -f "$log"
}
if [[ $# -eq 0 && "${NDHM_TEST_PACKAGE:-1}" == 1 ]]; then partner_package || failed=1; fi

if (( own_emulators )); then
  if [[ "$(sandbox_digest)" == "$sandbox_before" ]]; then
    say "the developer's $STATE is byte-identical to before the run"
  else
    say "FAILED: the developer's $STATE changed during the run"; failed=1
  fi
fi

echo "$passed_total passed, $failed_total failed, $skipped_total skipped"
if (( failed )); then
  say "FAILED"
  exit 1
fi
say "all tests passed"