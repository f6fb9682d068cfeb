#!/usr/bin/env bash
# Variant R of bench/db-move.sh: copies one table's rows from SOURCE to TARGET through two psql
# processes, COPY TO STDOUT piped into COPY FROM STDIN (text format, no parsing in between).
# Usage: copy-table.sh PG_TOOLS_BIN SOURCE_URI TARGET_URI SCHEMA.TABLE   (TABLE already quoted)
set -euo pipefail
bin="$1" source="$2" target="$3" table="$4"
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$source" -c "COPY (SELECT * FROM ONLY $table) TO STDOUT" \
  | "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$target" -c "COPY $table FROM STDIN"
