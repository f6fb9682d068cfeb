#!/usr/bin/env bash
# Benchmark of the key rotation's re-encryption (issue 5).
#
#   bench/keys-rotate.sh [ROWS (default 1000000)] [PG_MAJOR (default 16)] [THREADS (default: the engine's)]
#
# On a fresh PostgreSQL server (from target/pg-binaries) it loads ROWS encrypted values into three
# identical tables, then re-encrypts each under the same new key with:
#   (a)  a plain single-threaded loop: SELECT all (cursor), decrypt, encrypt, UPDATE in JDBC batches of 5,000
#   (b1) Uplift's engine (io.uplift.keys.Reencryption) with one thread
#   (b)  the engine with its default threads (or THREADS)
# checks that all three end with the same plaintexts, all under the new key, and prints rows/s and the
# ratios. The output is also written to bench/results-keys-<date>.txt. See bench/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${1:-1000000}"
MAJOR="${2:-16}"
THREADS="${3:-}"
cd "$ROOT"
echo "Building (mvn package, tests compiled, not run)..." >&2
mvn -B -q -o -DskipTests package >/dev/null
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
OUT="$ROOT/bench/results-keys-$(date -u +%Y-%m-%d-%H%M).txt"
{
  echo "# bench/keys-rotate.sh $ROWS $MAJOR $THREADS  ($(date -u +%FT%TZ), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  java -Duplift.pg.binaries="$ROOT/target/pg-binaries" -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")" \
    io.uplift.keys.KeysRotateBench "$ROWS" "$MAJOR" $THREADS 2>&1 | grep -v '^\[TestPostgres\]'
} | tee "$OUT"
echo "written to $OUT" >&2
