package io.uplift.dbmove;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One database move, validated by whoever builds it (the CLI parses and checks every flag).
 *
 * @param filters      TABLE=PREDICATE, table as schema.name
 * @param exportDir    also write a self-describing export there, in the same pass
 * @param validate     compare counts, checksums and schema after the copy (on by default)
 */
public record MoveSettings(PgUrl source, PgUrl target, int threads, Map<String, String> filters, Optional<Path> exportDir,
        Compression compression, Optional<Path> pgToolsDir, boolean resume, boolean validate) {

    /** The export's compression levels, mapped to zstd levels (README, "db move"). */
    public enum Compression {
        NONE(0), LOW(1), MEDIUM(6), HIGH(15);

        private final int zstdLevel;

        Compression(int zstdLevel) {
            this.zstdLevel = zstdLevel;
        }

        public int zstdLevel() {
            return zstdLevel;
        }
    }

    public MoveSettings {
        filters = Map.copyOf(filters);
    }
}
