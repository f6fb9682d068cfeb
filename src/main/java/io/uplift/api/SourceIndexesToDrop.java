package io.uplift.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What 'uplift db move --drop-source-indexes' would drop on the source, shown to the operator before
 * the move drops exactly these.
 *
 * @param kept how many indexes stay because they back a constraint or a foreign key references them
 * @param file where the move writes the DDL of the dropped indexes
 */
public record SourceIndexesToDrop(List<Index> indexes, int kept, Path file) {
    /**
     * One index that backs no constraint.
     *
     * @param definition  its DDL, every name qualified
     * @param fingerprint its definition as the schema comparison prints it
     * @param extra       ALTER TABLE ... CLUSTER ON and COMMENT ON INDEX, when the index had them
     */
    public record Index(String schema, String table, String name, String definition, String fingerprint, long bytes, boolean unique,
            List<String> extra) {
        public Index {
            extra = List.copyOf(extra);
        }
    }

    public SourceIndexesToDrop {
        indexes = List.copyOf(indexes);
    }

    public long bytes() {
        return indexes.stream().mapToLong(Index::bytes).sum();
    }
}
