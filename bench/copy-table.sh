#!/usr/bin/env bash
# Variants R and R4 of bench/db-move.sh: copies one table's rows (or a range of them) from SOURCE to
# TARGET through two psql processes, COPY TO STDOUT piped into COPY FROM STDIN (text format, no
# parsing in between).
# Usage: copy-table.sh PG_TOOLS_BIN SOURCE_URI TARGET_URI SCHEMA.TABLE[|PREDICATE]   (TABLE already quoted)
set -euo pipefail
bin="$1" source="$2" target="$3" part="$4"
table="${part%%|*}" where=""
[ "$part" = "$table" ] || where=" WHERE ${part#*|}"
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$source" -c "COPY (SELECT * FROM ONLY $table$where) TO STDOUT" \
  | "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$target" -c "COPY $table FROM STDIN"
