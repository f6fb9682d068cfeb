#!/usr/bin/env bash
# Availability of a three-node Lockbox cluster during a cluster upgrade (issue 16).
# Each run builds a fresh cluster demo (`uplift demo --prepare-only --serve --nodes 3`), starts one
# agent per node, optionally brings the cluster to --setup-to first (no load, not measured), then runs
# the load generator over the three nodes while `uplift cluster upgrade --to` runs, and keeps the load
# generator's report. At the end it prints each run's figures and their medians.
# The mode is the catalog's: 1.0 -> 2.1 is primary-first, 2.1 -> 2.2 rolling (Lockbox 2.2 declares it).
# --balance makes the load generator act as a load balancer (a node that refuses is passed over).
# A benchmark, not a test: nothing in `mvn verify` runs it.
#
# Usage: bench/cluster-availability.sh [--runs 3] [--events 100000] [--setup-to V] [--to 2.1] [--rate 40] [--balance] [--out DIR]
#   primary-first: bench/cluster-availability.sh --to 2.1 --balance
#   rolling:       bench/cluster-availability.sh --setup-to 2.1 --to 2.2 --balance
# Exit: 0 when every run ended STABLE with 0 acknowledged writes lost, 1 otherwise, 2 on bad usage.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/loadgen/target/uplift-loadgen.jar"
uplift="$root/uplift"
runs=3 events=100000 to=2.1 rate=40 out="" setup_to="" balance=()
die_usage() { echo "cluster-availability.sh: $1" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --runs) runs="${2:?}"; shift 2 ;;
    --events) events="${2:?}"; shift 2 ;;
    --to) to="${2:?}"; shift 2 ;;
    --setup-to) setup_to="${2:?}"; shift 2 ;;
    --balance) balance=(--balance); shift ;;
    --rate) rate="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    *) die_usage "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die_usage "--runs '$runs' is not a positive whole number"
out="${out:-/tmp/uplift-cluster-availability-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
[ -f "$jar" ] || (cd "$root" && mvn -o -q -B -DskipTests install) >"$out/build.log" 2>&1

agents=()
cleanup() {
  for pid in "${agents[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${agents[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  agents=()
  if [ -n "${home:-}" ]; then
    for h in "$home-node3" "$home-node2" "$home"; do [ -x "$h/app/bin/lockbox" ] && "$h/app/bin/lockbox" stop >/dev/null 2>&1 || true; done
    "$uplift" db stop --home "$home" >/dev/null 2>&1 || true
  fi
}
trap 'cleanup; exit 130' INT TERM

overall=0
for run in $(seq 1 "$runs"); do
  home="$out/run$run/lockbox"
  mkdir -p "$out/run$run"
  echo "run $run: building a 3-node cluster demo ($events events) in $home" >&2
  "$uplift" demo --prepare-only --serve --nodes 3 --events "$events" --home "$home" >"$out/run$run/demo.log" 2>&1
  for h in "$home" "$home-node2" "$home-node3"; do
    "$uplift" agent --home "$h" >"$out/run$run/agent-$(basename "$h").log" 2>&1 &
    agents+=("$!")
  done
  urls=""
  for h in "$home" "$home-node2" "$home-node3"; do
    port="$(sed -n 's/^http\.port=\([0-9]*\)$/\1/p' "$h/config/lockbox.properties")"
    urls="${urls:+$urls,}http://127.0.0.1:$port"
  done
  # Wait until the three agents beat (the upgrade is refused before that).
  for _ in $(seq 1 300); do
    n="$("$uplift" cluster status --json --home "$home" 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["agents"]))' 2>/dev/null || echo 0)"
    [ "$n" = 3 ] && break
    sleep 0.2
  done
  if [ -n "$setup_to" ]; then
    echo "run $run: setting up: cluster upgrade to $setup_to (not measured)" >&2
    "$uplift" cluster upgrade --to "$setup_to" --yes --home "$home" >"$out/run$run/setup.txt" 2>&1 || { echo "setup failed: $out/run$run/setup.txt" >&2; overall=1; cleanup; continue; }
  fi
  java -Xmx128m -jar "$jar" --url "$urls" --token-file "$home.load/token" --rate "$rate" --workers 4 "${balance[@]}" \
    --until-file "$out/run$run/done" --verify-deadline 60s --report "$out/run$run/report.json" >"$out/run$run/load.txt" 2>&1 &
  load=$!
  sleep 5 # users at work before the upgrade, so the report shows the service before it
  start=$(date +%s.%N)
  rc=0
  "$uplift" cluster upgrade --to "$to" --yes --home "$home" >"$out/run$run/upgrade.txt" 2>&1 || rc=$?
  end=$(date +%s.%N)
  sleep 5
  touch "$out/run$run/done"
  wait "$load" || rc=1
  echo "run $run: cluster upgrade exit $rc in $(python3 -c "print(round($end-$start,1))") s" >&2
  echo "$(python3 -c "print(round($end-$start,1))")" >"$out/run$run/upgrade-seconds"
  [ "$rc" -eq 0 ] || overall=1
  cleanup
done

python3 - "$out" "$runs" <<'PY'
import json, statistics, sys, os
out, runs = sys.argv[1], int(sys.argv[2])
rows = []
for r in range(1, runs + 1):
    d = os.path.join(out, f"run{r}")
    rep = json.load(open(os.path.join(d, "report.json")))
    secs = float(open(os.path.join(d, "upgrade-seconds")).read())
    nodes = rep.get("nodes", [])
    freeze = lambda n: (n["writes"]["freeze"] or {}).get("seconds", 0.0)
    rows.append(dict(run=r, upgrade=secs, sent=rep["requests"]["sent"], failed=rep["requests"]["failed"],
                     rerouted=rep["requests"].get("rerouted", 0),
                     refused=rep["requests"]["refusedForMaintenance"],
                     lost=rep["acknowledgedWrites"]["secrets"]["lost"], acked=rep["acknowledgedWrites"]["secrets"]["acknowledged"],
                     reads_failing=[round(n["reads"]["secondsWithReadsFailing"], 1) for n in nodes],
                     freezes=[round(freeze(n), 1) for n in nodes]))
for x in rows:
    print(f"run {x['run']}: cluster upgrade {x['upgrade']} s; requests {x['sent']} sent, {x['failed']} failed,"
          f" {x['refused']} refused for maintenance (503), {x['rerouted']} rerouted; acknowledged writes {x['acked']}, lost {x['lost']};"
          f" per node (primary first): reads failing {x['reads_failing']} s, write freeze {x['freezes']} s")
med = lambda key, i=None: statistics.median([x[key] if i is None else x[key][i] for x in rows])
print(f"median of {runs} run(s): cluster upgrade {med('upgrade')} s; failed requests {med('failed')};"
      f" refused for maintenance {med('refused')};"
      f" per node reads failing {[med('reads_failing', i) for i in range(len(rows[0]['reads_failing']))]} s,"
      f" write freeze {[med('freezes', i) for i in range(len(rows[0]['freezes']))]} s; acknowledged writes lost {max(x['lost'] for x in rows)} (max)")
PY
exit "$overall"
