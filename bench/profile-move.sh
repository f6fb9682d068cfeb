#!/usr/bin/env bash
# Where a database move's processor time goes (issue 4): one `uplift db move` from the source that
# `bench/db-move.sh --keep` left, into a fresh PostgreSQL 16 cluster, with the processor seconds of
# every process sampled twice a second and summed by server and activity (bench/cpu-by-process.py).
#
#   bench/profile-move.sh NAME [--own-target] [db move options, e.g. --skip-validation]
#
# --own-target profiles `db move --target-version 16` instead: the move creates its server itself (its
# own settings, as the upgrade's move does; initdb and start are in the wall time), which is stopped
# and deleted after.
#
# Prints the move's phase lines, its wall time, then the seconds per class ("tgt:COPY" = target
# backends running COPY, "src:COPY", "tgt:INDEX", "tgt:TABLE" = ALTER TABLE, "tgt:parallel" =
# parallel workers, "java" = Uplift) and a timeline in 2-second buckets; both are kept in
# $BENCH_WORK/profile-NAME.{log,cpu}. Run two builds alternately (UPLIFT=other/uplift for one)
# to compare them: this machine's speed drifts by up to 2x within minutes, so only runs close in
# time compare. TARGET_SQL="..." runs one more statement on the new target before the move, to try a
# setting, e.g. TARGET_SQL="ALTER DATABASE lockbox SET max_parallel_maintenance_workers = 0".
# Needs root (the servers run as postgres) and python3.
set -euo pipefail
NAME="${1:?usage: bench/profile-move.sh NAME [db move options]}"; shift
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="${BENCH_WORK:-/tmp/uplift-bench-db-move}"
PGT="${PG_TOOLS:-/usr/lib/postgresql/15/bin}"
UPLIFT="${UPLIFT:-$ROOT/uplift}"
[ -f "$W/src/config/database.properties" ] || { echo "error: no kept source in $W: run 'bench/db-move.sh --keep --only U' first" >&2; exit 2; }
PG16="$(ls -d "${UPLIFT_CACHE:-/var/cache/uplift}"/pg/16.*/bin "$W"/pg16/bin 2>/dev/null | head -n 1 || true)"  # ls fails when one is missing
[ -x "$PG16/initdb" ] || { echo "error: no PostgreSQL 16 binaries (run bench/db-move.sh once)" >&2; exit 2; }
prop() { sed -n "s/^$1=//p" "$W/src/config/database.properties" | sed 's/\\//g'; }
"$UPLIFT" db start --home "$W/src" >/dev/null 2>&1 || true
url="$(prop url)"; hp="${url#jdbc:postgresql://}"; sport="${hp%%/*}"; sport="${sport##*:}"
SRC="postgresql://$(prop user):$(prop password)@127.0.0.1:$sport/lockbox"
D="$W/profile-$NAME"; rm -rf "$D"; mkdir -p "$D"; echo pw > "$D/pw"; chown -R postgres: "$D"; chmod 755 "$W" "$D"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'as_pg "$PG16/pg_ctl" stop -D "$D/data" -m fast >/dev/null 2>&1 || true; rm -rf "$D"' EXIT
if [ "${1:-}" = "--own-target" ]; then
  shift
  TARGET=(--target-version 16 --target-dir "$D/data")   # the move's own server, in the folder the trap cleans up
else
  as_pg "$PG16/initdb" -D "$D/data" -U postgres --pwfile="$D/pw" -E UTF8 --locale=C --auth-host=scram-sha-256 --auth-local=peer >/dev/null
  PORT=$((20000 + RANDOM % 10000))
  as_pg "$PG16/pg_ctl" start -D "$D/data" -l "$D/server.log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -k $D" >/dev/null
  "$PGT/psql" -X -q -d "postgresql://postgres:pw@127.0.0.1:$PORT/postgres" -c "CREATE ROLE lockbox LOGIN PASSWORD 'x'" \
    -c "CREATE DATABASE lockbox OWNER lockbox TEMPLATE template0" ${TARGET_SQL:+-c "$TARGET_SQL"}
  TARGET=(--target "postgresql://postgres:pw@127.0.0.1:$PORT/lockbox")
fi
python3 "$ROOT/bench/cpu-by-process.py" "$W/profile-$NAME.cpu" & CPU=$!
t0=$(date +%s.%N)
"$UPLIFT" db move --source "$SRC" "${TARGET[@]}" --threads "${BENCH_THREADS:-2}" --yes "$@" 2>&1 \
  | tr '\r' '\n' | grep -v '\[#\|\[\.' > "$W/profile-$NAME.log" || true
t1=$(date +%s.%N)
kill "$CPU"; wait "$CPU" || true
cat "$W/profile-$NAME.log"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wall %.1f s\n", b - a }'
cat "$W/profile-$NAME.cpu"
