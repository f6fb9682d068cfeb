package io.uplift.dbmove;

/**
 * A piece of one table copied in one target transaction, together with its "done" record, so that
 * a killed move resumes after the last finished chunk and never copies a row twice.
 *
 * @param range a predicate on the table's integer key ("id >= 1 AND id < 500001") or on the rows'
 *              physical position ("ctid >= '(0,0)'::tid AND ctid < '(4096,0)'::tid"), or "" for all rows
 */
public record Chunk(TableInfo table, int index, int of, String range) {
    /**
     * Whether the range is of physical positions: it picks the chunk's rows on the source only (the
     * target stores them elsewhere), so the target's side of the check is taken for the whole table.
     */
    public boolean physical() {
        return range.startsWith("ctid");
    }

    public String id() {
        return table.schema() + "." + table.name() + "#" + index + "/" + of;
    }
}
