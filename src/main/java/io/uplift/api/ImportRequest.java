package io.uplift.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One 'uplift db import': an export folder, an empty target, how many threads load the COPY files,
 * and whether it finishes an earlier import. {@link Builder#build()} refuses a missing or bad value by its option.
 *
 * @param pgToolsDir accepted for older scripts; the import runs its SQL over JDBC
 */
public record ImportRequest(Path exportDir, Database target, int threads, Optional<Path> pgToolsDir, boolean resume) {
    public ImportRequest {
        if (exportDir == null) {
            throw new UpliftException(ErrorCode.USAGE, "EXPORT_DIR is missing: give the export folder (the one holding manifest.json).");
        }
        if (target == null) {
            throw new UpliftException(ErrorCode.USAGE, "--target is missing: give the empty database to import into.");
        }
        ThreadCount.check(threads, String.valueOf(threads));
        pgToolsDir = pgToolsDir == null ? Optional.empty() : pgToolsDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The options of one import; {@link #build()} checks them. */
    public static final class Builder {
        private Path exportDir;
        private Database target;
        private int threads = 1;
        private Path pgToolsDir;
        private boolean resume;

        private Builder() {}

        /** The export folder (it holds manifest.json). */
        public Builder exportDir(Path dir) {
            this.exportDir = dir;
            return this;
        }

        public Builder target(Database target) {
            this.target = target;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder pgToolsDir(Path dir) {
            this.pgToolsDir = dir;
            return this;
        }

        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public ImportRequest build() {
            return new ImportRequest(exportDir, target, threads, Optional.ofNullable(pgToolsDir), resume);
        }
    }
}
