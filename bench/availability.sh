#!/usr/bin/env bash
# Availability of Lockbox during an upgrade (issue 15): runs the load generator
# (bench/loadgen, a client of Lockbox's HTTP API) against a running demo installation while
# `uplift upgrade --to 3.0` runs and prints the availability summary. With --rollback it measures an
# interrupted upgrade and its rollback instead: the upgrade is killed with SIGKILL at a step
# ($HOLD, default 3.0/start-services:before: migrations applied, keys rotated, program files swapped,
# the new version recorded), then `uplift rollback` returns the installation to 1.0, all under load.
# A benchmark, not a test: nothing in `mvn verify` runs it.
#
# Inputs:
#   HOME_DIR     a demo installation whose Lockbox serves, made by
#                `./uplift demo --prepare-only --serve --home HOME_DIR --events N`
#   token file   --token-file FILE, default HOME_DIR.load/token (what `demo --serve` writes); read by the
#                load generator from the file, never passed on a command line
#   Lockbox URL  --url http://127.0.0.1:PORT, else $LOCKBOX_URL, else http.port of HOME_DIR/config/lockbox.properties
#
# Usage:
#   bench/availability.sh HOME_DIR [--url URL] [--token-file FILE] [--rollback]
#                         [--to 3.0] [--rate 50] [--write-share 0.2] [--lead 5] [--out DIR]
#   --rollback     kill the upgrade at $HOLD and measure it with the rollback that follows
#   --lead S       seconds of load before the command starts and after it ends (default 5), so the
#                  report shows the service before and after
#   --out DIR      where the reports go (default HOME_DIR.availability-DATE-TIME):
#                  upgrade.json / upgrade.txt / upgrade-uplift.log, or rollback.* likewise
# Exit: 0 when every command succeeded and every acknowledged write was read back equal, 1 otherwise,
# 2 on bad usage.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/loadgen/target/uplift-loadgen.jar"
uplift="${BENCH_UPLIFT:-$root/uplift}"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die_usage() { echo "availability.sh: $1" >&2; exit 2; }

home="" url="${LOCKBOX_URL:-}" token_file="" rollback=0 to="3.0" rate=50 write_share=0.2 lead=5 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --token-file) token_file="${2:?--token-file needs a value}"; shift 2 ;;
    --rollback) rollback=1; shift ;;
    --to) to="${2:?--to needs a value}"; shift 2 ;;
    --rate) rate="${2:?--rate needs a value}"; shift 2 ;;
    --write-share) write_share="${2:?--write-share needs a value}"; shift 2 ;;
    --lead) lead="${2:?--lead needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --*) die_usage "unknown option '$1' (see --help)" ;;
    *) [ -z "$home" ] || die_usage "one HOME_DIR only ('$home' and '$1')"; home="$1"; shift ;;
  esac
done
[ -n "$home" ] || die_usage "HOME_DIR is missing: give the demo installation, made by ./uplift demo --prepare-only --home DIR"
[ -d "$home" ] || die_usage "HOME_DIR '$home' is not a folder: make it with ./uplift demo --prepare-only --home $home"
home="$(cd "$home" && pwd)"
if [ -z "$url" ] && [ -r "$home/config/lockbox.properties" ]; then
  port="$(sed -n 's/^http\.port=\([0-9]*\)$/\1/p' "$home/config/lockbox.properties")"
  [ -n "$port" ] && url="http://127.0.0.1:$port"
fi
[ -n "$url" ] || die_usage "--url is missing and $home/config/lockbox.properties has no http.port: give --url http://127.0.0.1:PORT"
token_file="${token_file:-$home.load/token}"
[ -r "$token_file" ] || die_usage "token file '$token_file' is not readable: give --token-file FILE holding a Lockbox app token"
[[ "$lead" =~ ^[0-9]+$ ]] || die_usage "--lead '$lead' is not a whole number of seconds"
out="${out:-$home.availability-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"

# The load generator: built when missing or older than its sources (Maven offline first).
if [ ! -f "$jar" ] || [ -n "$(find "$root/bench/loadgen/src/main" "$root/bench/loadgen/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "Building the load generator (bench/loadgen)..." >&2
  (cd "$root" && { mvn -o -q -B -pl bench/loadgen -am install -DskipTests || mvn -q -B -pl bench/loadgen -am install -DskipTests; }) \
    >"$out/loadgen-build.log" 2>&1 || { echo "error: the build failed; see $out/loadgen-build.log" >&2; exit 1; }
fi

loadgen_pid=""
# On Ctrl-C or a failure, the load generator still writes its report: SIGTERM runs its shutdown hook.
stop_loadgen() {
  if [ -n "$loadgen_pid" ] && kill -0 "$loadgen_pid" 2>/dev/null; then
    kill -TERM "$loadgen_pid" 2>/dev/null || true
    wait "$loadgen_pid" 2>/dev/null || true
  fi
}
trap 'stop_loadgen; exit 130' INT TERM

overall=0

# measure NAME COMMAND...: load from before COMMAND until after it, then the read-back and report.
measure() {
  local name="$1"; shift
  local until="$out/$name.done" text="$out/$name.txt" log="$out/$name-uplift.log" command_rc=0 loadgen_rc=0
  rm -f "$until"
  java -jar "$jar" --url "$url" --token-file "$token_file" --rate "$rate" --write-share "$write_share" \
    --until-file "$until" --report "$out/$name.json" >"$text" 2>&1 &
  loadgen_pid=$!
  # The load counts from the line the generator prints after its warm-up call.
  local waited=0
  until grep -q "health before the load" "$text" 2>/dev/null; do
    kill -0 "$loadgen_pid" 2>/dev/null || { cat "$text" >&2; echo "error: the load generator ended early" >&2; return 1; }
    [ "$waited" -lt 600 ] || { stop_loadgen; echo "error: the load generator did not start within 60 s" >&2; return 1; }
    sleep 0.1; waited=$((waited + 1))
  done
  sleep "$lead"
  echo "== $name: $*   (log: $log)"
  "$@" >"$log" 2>&1 || command_rc=$?
  echo "   exit $command_rc"
  sleep "$lead"
  touch "$until"
  wait "$loadgen_pid" || loadgen_rc=$?
  loadgen_pid=""
  echo "== $name: availability (report: $out/$name.json)"
  sed -n '/^Load against/,$p' "$text"
  if [ "$command_rc" -ne 0 ]; then
    echo "   the command failed (exit $command_rc); last lines of $log:"; tail -n 5 "$log" | sed 's/^/     /'
    overall=1
  fi
  [ "$loadgen_rc" -eq 0 ] || overall=1
  echo
}

# The interrupted upgrade: parked at $HOLD by Uplift's fault knob (the crash tests' one), killed there
# with SIGKILL as a power loss would, then rolled back.
crash_then_rollback() {
  local hold="${HOLD:-3.0/start-services:before}" log="$out/rollback-upgrade.log" pid waited=0
  UPLIFT_TEST_HOLD_AT="$hold" "$uplift" upgrade --to "$to" --home "$home" --yes >"$log" 2>&1 &
  pid=$!
  until grep -q "uplift-test-hold $hold" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the upgrade ended before $hold; see $log" >&2; return 1; }
    [ "$waited" -lt 36000 ] || { kill -KILL "$pid"; echo "the upgrade did not reach $hold within an hour" >&2; return 1; }
    sleep 0.1; waited=$((waited + 1))
  done
  # The launcher execs java, so $pid is the JVM itself.
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  echo "   upgrade killed (SIGKILL) at $hold; rolling back"
  "$uplift" rollback --home "$home" --yes
}

if [ "$rollback" -eq 1 ]; then
  measure rollback crash_then_rollback
else
  measure upgrade "$uplift" upgrade --to "$to" --home "$home" --yes
fi
echo "Reports in $out"
exit "$overall"
