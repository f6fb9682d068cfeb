package io.uplift.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One 'uplift db move', checked as a whole by {@link Builder#build()}: every value and every
 * combination of them is refused there, naming the option and the fix, before anything is read
 * or changed (the way HikariConfig validates before a pool starts). Its length is fifteen options, each
 * with a builder setter and an accessor; the only logic is in {@code build()} and {@link #parseFilters}.
 */
public final class MoveRequest {
    /** The export's compression levels (zstd 1, 6 and 15, or plain files). */
    public enum Compression { NONE, LOW, MEDIUM, HIGH }

    /** Instead of a target database: a new PostgreSQL server of {@code major} in {@code dataDir}. */
    public record NewServer(int major, Path dataDir) {}

    private final Database source;
    private final Optional<Database> target;
    private final Optional<NewServer> newServer;
    private final int threads;
    private final Map<String, String> filters;
    private final boolean onlyThreatEvents;
    private final Optional<Path> exportDir;
    private final Compression compression;
    private final Optional<Path> pgToolsDir;
    private final boolean resume;
    private final boolean validate;
    private final boolean validateOnly;
    private final boolean dropSourceIndexes;
    private final boolean deleteSource;
    private final Optional<SourceIndexesToDrop> indexesToDrop;

    private MoveRequest(Builder b, Optional<SourceIndexesToDrop> indexesToDrop) {
        this.source = b.source;
        this.target = Optional.ofNullable(b.target);
        this.newServer = Optional.ofNullable(b.newServer);
        this.threads = b.threads;
        this.filters = Map.copyOf(b.filters);
        this.onlyThreatEvents = b.onlyThreatEvents;
        this.exportDir = Optional.ofNullable(b.exportDir);
        this.compression = b.compression == null ? Compression.MEDIUM : b.compression;
        this.pgToolsDir = Optional.ofNullable(b.pgToolsDir);
        this.resume = b.resume;
        this.validate = b.validate;
        this.validateOnly = b.validateOnly;
        this.dropSourceIndexes = b.dropSourceIndexes;
        this.deleteSource = b.deleteSource;
        this.indexesToDrop = indexesToDrop;
    }

    private MoveRequest(MoveRequest base, SourceIndexesToDrop confirmed) {
        this.source = base.source;
        this.target = base.target;
        this.newServer = base.newServer;
        this.threads = base.threads;
        this.filters = base.filters;
        this.onlyThreatEvents = base.onlyThreatEvents;
        this.exportDir = base.exportDir;
        this.compression = base.compression;
        this.pgToolsDir = base.pgToolsDir;
        this.resume = base.resume;
        this.validate = base.validate;
        this.validateOnly = base.validateOnly;
        this.dropSourceIndexes = base.dropSourceIndexes;
        this.deleteSource = base.deleteSource;
        this.indexesToDrop = Optional.of(confirmed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same request with the indexes the operator agreed to drop (found by
     * {@code Uplift.sourceIndexesToDrop}): the move drops exactly these.
     */
    public MoveRequest withIndexesToDrop(SourceIndexesToDrop confirmed) {
        if (!dropSourceIndexes) {
            throw new UpliftException(ErrorCode.USAGE, "Indexes to drop were given to a move without --drop-source-indexes.");
        }
        return new MoveRequest(this, confirmed);
    }

    /**
     * Parses TABLE=PREDICATE values of --filter; TABLE is "name" (schema public) or "schema.name".
     * Whether the table and the predicate exist is checked against the source when the move starts.
     */
    public static Map<String, String> parseFilters(List<String> flags) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0 || eq == flag.length() - 1) {
                throw usage("--filter " + flag + " must be TABLE=SQL-PREDICATE, e.g. --filter \"events=occurred_at >= '2023-06-01'\"");
            }
            String table = flag.substring(0, eq).trim();
            result.put(table.contains(".") ? table : "public." + table, flag.substring(eq + 1).trim());
        }
        return result;
    }

    public Database source() {
        return source;
    }

    public Optional<Database> target() {
        return target;
    }

    public Optional<NewServer> newServer() {
        return newServer;
    }

    public int threads() {
        return threads;
    }

    /** TABLE=PREDICATE from --filter, table as schema.name; empty with {@link #onlyThreatEvents()}. */
    public Map<String, String> filters() {
        return filters;
    }

    /** The Lockbox preset: only events tied to a threat (the domain knows the predicate). */
    public boolean onlyThreatEvents() {
        return onlyThreatEvents;
    }

    public Optional<Path> exportDir() {
        return exportDir;
    }

    public Compression compression() {
        return compression;
    }

    public Optional<Path> pgToolsDir() {
        return pgToolsDir;
    }

    public boolean resume() {
        return resume;
    }

    /** Check the chunks as they are copied and compare the schemas (off with --skip-validation). */
    public boolean validate() {
        return validate;
    }

    /** Only compare an earlier move's source and target (--validate); change nothing. */
    public boolean validateOnly() {
        return validateOnly;
    }

    public boolean dropSourceIndexes() {
        return dropSourceIndexes;
    }

    public boolean deleteSource() {
        return deleteSource;
    }

    public Optional<SourceIndexesToDrop> indexesToDrop() {
        return indexesToDrop;
    }

    private static UpliftException usage(String message) {
        return new UpliftException(ErrorCode.USAGE, message);
    }

    /** The options of one move; {@link #build()} checks them together. */
    public static final class Builder {
        private Database source;
        private Database target;
        private NewServer newServer;
        private int threads = 1;
        private Map<String, String> filters = Map.of();
        private boolean onlyThreatEvents;
        private Path exportDir;
        private Compression compression;
        private Path pgToolsDir;
        private boolean resume;
        private boolean validate = true;
        private boolean validateOnly;
        private boolean dropSourceIndexes;
        private boolean deleteSource;

        private Builder() {}

        public Builder source(Database source) {
            this.source = source;
            return this;
        }

        /** The database to move to, an empty one (or the same target again with --resume or --validate). */
        public Builder target(Database target) {
            this.target = target;
            return this;
        }

        /** --target-version MAJOR --target-dir DIR: a new server instead of a target database. */
        public Builder newServer(Integer major, Path dataDir) {
            if (major == null) {
                this.newServer = null;
                return this;
            }
            if (dataDir == null) {
                throw usage("--target-version needs --target-dir DIR for the new server's data.");
            }
            this.newServer = new NewServer(major, dataDir);
            return this;
        }

        public Builder threads(int threads) {
            this.threads = ThreadCount.check(threads, String.valueOf(threads));
            return this;
        }

        /** --filter TABLE=PREDICATE values; a value that is not of that form is refused here. */
        public Builder filters(List<String> flags) {
            this.filters = parseFilters(flags);
            return this;
        }

        public Builder onlyThreatEvents(boolean only) {
            this.onlyThreatEvents = only;
            return this;
        }

        public Builder exportDir(Path dir) {
            this.exportDir = dir;
            return this;
        }

        /** The export's compression; given without {@link #exportDir} it is refused. Default: medium. */
        public Builder compression(Compression level) {
            this.compression = level;
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

        public Builder validate(boolean validate) {
            this.validate = validate;
            return this;
        }

        public Builder validateOnly(boolean validateOnly) {
            this.validateOnly = validateOnly;
            return this;
        }

        public Builder dropSourceIndexes(boolean drop) {
            this.dropSourceIndexes = drop;
            return this;
        }

        public Builder deleteSource(boolean delete) {
            this.deleteSource = delete;
            return this;
        }

        public MoveRequest build() {
            if (source == null) {
                throw usage("--source is missing: give the database to move from.");
            }
            if ((target == null) == (newServer == null)) {
                throw usage("Give exactly one of --target URL and --target-version MAJOR.");
            }
            if (onlyThreatEvents && !filters.isEmpty()) {
                throw usage("Use either --filter or --only-threat-events, not both.");
            }
            if (deleteSource && !validate) {
                throw usage("--delete-source needs a passed validation: it cannot go with --skip-validation.");
            }
            if (deleteSource && (onlyThreatEvents || !filters.isEmpty())) {
                // Validation compares what was moved; the rows a filter left out are on the source only and would go with it.
                throw usage("--delete-source cannot go with " + (onlyThreatEvents ? "--only-threat-events" : "--filter") + ": the filter"
                        + " leaves rows on the source that the target never gets, and validation compares only the rows that were moved,"
                        + " so deleting the source would lose the rows left out. Move without the filter to delete the source, or keep"
                        + " the source.");
            }
            if (compression != null && exportDir == null) {
                throw usage("--compression applies to the export: give --export-dir DIR too.");
            }
            if (validateOnly && (exportDir != null || dropSourceIndexes || resume)) {
                throw usage("--validate only compares; it cannot go with --export-dir, --drop-source-indexes or --resume.");
            }
            if (validateOnly && target == null) {
                throw usage("--validate needs --target URL.");
            }
            return new MoveRequest(this, Optional.empty());
        }
    }
}
