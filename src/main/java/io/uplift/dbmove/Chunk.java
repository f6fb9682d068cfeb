package io.uplift.dbmove;

/**
 * A piece of one table copied in one target transaction, together with its "done" record, so that
 * a killed move resumes after the last finished chunk and never copies a row twice.
 *
 * @param range a predicate on the table's integer key ("id >= 1 AND id < 500001"), or "" for all rows
 */
public record Chunk(TableInfo table, int index, int of, String range) {
    public String id() {
        return table.schema() + "." + table.name() + "#" + index + "/" + of;
    }
}
