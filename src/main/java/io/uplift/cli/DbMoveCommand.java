package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.dbmove.ChunkCopier;
import io.uplift.dbmove.DatabaseMove;
import io.uplift.dbmove.Filters;
import io.uplift.dbmove.MoveListener;
import io.uplift.dbmove.MoveResult;
import io.uplift.dbmove.MoveSettings;
import io.uplift.dbmove.NewServer;
import io.uplift.dbmove.PgUrl;
import io.uplift.dbmove.SourceDeletion;
import io.uplift.dbmove.SourceIndexes;
import io.uplift.dbmove.Threads;
import io.uplift.api.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "move", mixinStandardHelpOptions = true,
        description = {"Moves a database to another PostgreSQL server, e.g. from 10 to 16: schema",
                "through pg_dump (pre-data, then post-data), rows by parallel COPY from one",
                "exported snapshot, largest tables first, big tables split by key or block",
                "ranges, each table's indexes built as soon as its rows are in (then a VACUUM,",
                "so foreign-key checks can probe the keys); then foreign",
                "keys (NOT VALID, then validated side by side), sequences, large objects,",
                "ANALYZE, and validation: the row count and checksum of every chunk as sent,",
                "against the rows read back from the target (a table of one chunk before its",
                "commit, a bigger one whole once it is in; jsonb values by their jsonb_hash),",
                "and the schemas compared. Killed or failed, the same command with --resume",
                "goes on after the last finished chunk. With --export-dir it also writes an",
                "export (manifest, schema SQL, COPY files) that 'uplift db import' or psql",
                "loads.",
                "Exit 23 when the move stops (resume it), 24 when validation finds differences."})
final class DbMoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "URL",
            description = "The database to move from: postgresql://USER@HOST:PORT/DB (a socket folder as ?host=/run/postgresql,"
                    + " several hosts as HOST1:PORT1,HOST2:PORT2, sslmode=...), 'host=... dbname=... user=...' or 'service=NAME'.")
    String source;

    @Option(names = "--source-password-file", paramLabel = "FILE",
            description = "A file (mode 600) whose first line is the source's password. Else: the URL, PGPASSWORD, ~/.pgpass, a question on the terminal.")
    Path sourcePasswordFile;

    @Option(names = "--target", paramLabel = "URL", description = "The database to move to, an empty one; written like --source.")
    String target;

    @Option(names = "--target-password-file", paramLabel = "FILE", description = "A file (mode 600) whose first line is the target's password.")
    Path targetPasswordFile;

    @Option(names = "--target-version", paramLabel = "MAJOR",
            description = "Instead of --target: start a new PostgreSQL server of this major version (10, 14, 16, 17) in --target-dir.")
    Integer targetVersion;

    @Option(names = "--target-dir", paramLabel = "DIR", description = "With --target-version: the new server's data folder (must not exist).")
    Path targetDir;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "recommended",
            description = "reliable (1), recommended (cores / 2), performant (cores) or a number (default: ${DEFAULT-VALUE}).")
    String threads;

    @Option(names = "--filter", paramLabel = "TABLE=PREDICATE",
            description = "Copy only the rows of TABLE matching the SQL predicate; rows referencing left-out rows are left out too.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--only-threat-events", description = "Lockbox preset: only events tied to a threat (and what references them).")
    boolean onlyThreatEvents;

    @Option(names = "--pg-tools-dir", paramLabel = "DIR",
            description = "Folder of pg_dump, pg_restore and psql (default: the newest /usr/lib/postgresql/*/bin); at least the source's version.")
    Path pgToolsDir;

    @Option(names = "--resume", description = "Finish an earlier, interrupted move into the same target.")
    boolean resume;

    @Option(names = "--validate", description = "Only validate an earlier move, independently: count and checksum every chunk again in both servers, compare the schemas; change nothing.")
    boolean validateOnly;

    @Option(names = "--skip-validation", description = "Do not check the chunks as they are copied nor compare the schemas (not recommended; on the benchmark the move was only a few per cent faster without them).")
    boolean skipValidation;

    @Option(names = "--export-dir", paramLabel = "DIR",
            description = "Also write an export there while copying: manifest.json, pre-data.sql, post-data.sql, sequences.sql and one COPY file"
                    + " per table or range (a new or empty folder; --resume completes the same folder).")
    Path exportDir;

    @Option(names = "--compression", paramLabel = "LEVEL",
            description = "With --export-dir: none (plain files), low (zstd 1), medium (zstd 6) or high (zstd 15); default: medium.")
    String compression;

    @Option(names = "--drop-source-indexes",
            description = "Before copying, record the DDL of the source's indexes that back no constraint (in --export-dir, else the current"
                    + " folder, as " + SourceIndexes.FILE + ") and drop them on the source to free their room; the target still gets them.")
    boolean dropSourceIndexes;

    @Option(names = "--delete-source",
            description = "After validation passed and a second confirmation: DROP DATABASE the source. Not with --skip-validation.")
    boolean deleteSource;

    @Mixin
    YesOption yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int cores = Runtime.getRuntime().availableProcessors();
        if ((target == null) == (targetVersion == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give exactly one of --target URL and --target-version MAJOR.");
        }
        if (targetVersion != null && targetDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-version needs --target-dir DIR for the new server's data.");
        }
        if (onlyThreatEvents && !filters.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Use either --filter or --only-threat-events, not both.");
        }
        if (deleteSource && skipValidation) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--delete-source needs a passed validation: it cannot go with"
                    + " --skip-validation.");
        }
        if (deleteSource && (onlyThreatEvents || !filters.isEmpty())) {
            // Validation compares what was moved; the rows a filter left out are on the source only and would go with it.
            throw new CommandLine.ParameterException(spec.commandLine(), "--delete-source cannot go with "
                    + (onlyThreatEvents ? "--only-threat-events" : "--filter") + ": the filter leaves rows on the source that the target"
                    + " never gets, and validation compares only the rows that were moved, so deleting the source would lose the"
                    + " rows left out. Move without the filter to delete the source, or keep the source.");
        }
        if (compression != null && exportDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compression applies to the export: give --export-dir DIR too.");
        }
        if (validateOnly && (exportDir != null || dropSourceIndexes || resume)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--validate only compares; it cannot go with --export-dir,"
                    + " --drop-source-indexes or --resume.");
        }
        if (targetPasswordFile != null && target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-password-file goes with --target URL.");
        }
        PgUrl from = CommandLineDatabase.resolve(spec, "--source", source, sourcePasswordFile);
        PgUrl targetUrl = target == null ? null : CommandLineDatabase.resolve(spec, "--target", target, targetPasswordFile);
        MoveSettings.Compression level = compression(compression);
        Map<String, String> rowFilters = Filters.parse(onlyThreatEvents ? List.of(Filters.ONLY_THREAT_EVENTS) : filters);
        int n = Threads.parse(threads, cores);
        Uplift uplift = Uplift.configure().home(Path.of(".")).load();
        if (validateOnly) {
            MoveSettings settings = new MoveSettings(from, require(targetUrl), n, rowFilters, Optional.empty(),
                    MoveSettings.Compression.NONE, Optional.ofNullable(pgToolsDir), false, true);
            int code = report(uplift.validateMove(settings), out);
            return deleteSource ? deleteSource(from, out) : code;
        }
        if (!yes.confirmed("Move " + from + " to " + (targetUrl != null ? targetUrl
                : "a new PostgreSQL " + targetVersion + " server in " + targetDir) + "?", "uplift db move", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        SourceIndexes.Found drop = null;
        Path dropFile = null;
        if (dropSourceIndexes) {
            drop = SourceIndexes.find(from);
            dropFile = (exportDir != null ? exportDir : Path.of("")).toAbsolutePath().normalize().resolve(SourceIndexes.FILE);
            out.printf("--drop-source-indexes: %d indexes of %s back no constraint, %,d MB in all; their DDL goes to %s.%n",
                    drop.indexes().size(), from, drop.bytes() / (1024 * 1024), dropFile);
            drop.indexes().stream().limit(30).forEach(i -> out.printf("  %s.%s  %s  %,d kB%n", i.schema(), i.name(), i.unique() ? "unique" : "",
                    i.bytes() / 1024));
            if (drop.indexes().size() > 30) {
                out.printf("  ... and %d more (all in the file)%n", drop.indexes().size() - 30);
            }
            out.printf("Saves %,d MB on the source's disk. Breaks: queries on the source that use these indexes get slower until the%n"
                    + "DDL is run again; %d indexes that back primary keys, unique or exclusion constraints, or that foreign keys%n"
                    + "reference, are kept. The target gets every index all the same.%n", drop.bytes() / (1024 * 1024), drop.kept());
            if (!drop.indexes().isEmpty() && !yes.confirmed("Drop these " + drop.indexes().size() + " indexes on the source "
                    + from + "?", "uplift db move --drop-source-indexes", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
        }
        PgUrl to;
        if (targetVersion != null) {
            NewServer.Started started = NewServer.create(targetVersion, targetDir.toAbsolutePath().normalize(), from);
            to = started.url();
            out.printf("Started PostgreSQL %d in %s on 127.0.0.1:%d; the target is %s%n", targetVersion, targetDir, to.port(), to);
        } else {
            to = targetUrl;
        }
        MoveSettings settings = new MoveSettings(from, to, n, rowFilters, Optional.ofNullable(exportDir), level,
                Optional.ofNullable(pgToolsDir), resume, !skipValidation);
        DatabaseMove move = new DatabaseMove(settings, new TerminalMoveListener(out, spec.commandLine().getErr()), ChunkCopier.Tee.NONE);
        if (drop != null) {
            move.dropSourceIndexes(drop, dropFile);
        }
        MoveResult r = move.run();
        out.printf("Moved %,d rows (%,d MB) of %d tables in %d chunks (%d already done), %d sequences, %d large objects, in %.1f s.%n",
                r.rows(), r.bytes() / (1024 * 1024), r.tables(), r.chunks(), r.chunksSkipped(), r.sequences(), r.largeObjects(),
                r.took().toMillis() / 1000.0);
        move.exportManifest().ifPresent(m -> out.println("Export written: " + m.getParent() + " (load it with 'uplift db import "
                + m.getParent() + " --target URL', or by hand: README, \"Database move\")."));
        if (drop != null) {
            out.println("The DDL of the dropped source indexes is in " + dropFile + " (psql -f it on the source to create them again).");
        }
        if (!r.validated()) {
            out.println("Not validated (--skip-validation): run the same command with --validate to compare source and target.");
            return 0;
        }
        int code = report(r.differences(), out);
        return deleteSource ? deleteSource(from, out) : code;
    }

    private static MoveSettings.Compression compression(String text) {
        if (text == null) {
            return MoveSettings.Compression.MEDIUM;
        }
        try {
            return MoveSettings.Compression.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.USAGE, "--compression " + text + " is not none, low, medium or high.");
        }
    }

    /** Only reached after validation passed: asks again, then drops the source database and says what went. */
    private int deleteSource(PgUrl from, PrintWriter out) {
        SourceDeletion.Described what = SourceDeletion.describe(from);
        out.println("--delete-source: validation passed. This deletes the " + what + ", for good.");
        if (!yes.confirmed("Delete the source database " + from + " now?", "uplift db move --delete-source", out)) {
            out.println("The source was kept.");
            return 0;
        }
        SourceDeletion.drop(from);
        out.println("Deleted: " + what + " (DROP DATABASE \"" + from.database() + "\", run from the server's postgres database).");
        out.flush();
        return 0;
    }

    private PgUrl require(PgUrl url) {
        if (url == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--validate needs --target URL.");
        }
        return url;
    }

    private static int report(List<String> differences, PrintWriter out) {
        if (differences.isEmpty()) {
            out.println("Validation passed: every chunk's row count and checksum, and the schema, are equal on both sides.");
            out.flush();
            return 0;
        }
        out.println("Validation found " + differences.size() + " differences:");
        differences.stream().limit(50).forEach(d -> out.println("  " + d));
        out.flush();
        throw new UpliftException(ErrorCode.VALIDATION_FAILED, "The target differs from the source (" + differences.size()
                + " differences, listed above). Do not switch to the target; if the source changed during the move, move again into an empty database.");
    }

    /** Phases and finished tables as lines, and a byte progress bar. */
    static final class TerminalMoveListener implements MoveListener {
        private final PrintWriter out;
        private final TerminalProgress bar;
        private final long start = System.nanoTime();

        TerminalMoveListener(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.bar = new TerminalProgress(err, "  rows", "bytes");
        }

        @Override
        public void phase(String text) {
            // The time since the move started, so an operator sees which phase takes long.
            out.printf("- %s  (at %.1f s)%n", text, (System.nanoTime() - start) / 1e9);
            out.flush();
        }

        @Override
        public void tableCopied(String table, long rows, long bytes, Duration took) {
            out.printf("  %-30s %,12d rows %,8d MB  at %.1f s%n", table, rows, bytes / (1024 * 1024), took.toMillis() / 1000.0);
            out.flush();
        }

        @Override
        public ProgressListener bytes() {
            return bar;
        }
    }
}
