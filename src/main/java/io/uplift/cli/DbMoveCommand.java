package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.Database;
import io.uplift.api.MoveReport;
import io.uplift.api.MoveResult;
import io.uplift.api.MoveRequest;
import io.uplift.api.SourceDescription;
import io.uplift.api.SourceIndexesToDrop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "recommended", converter = ThreadsConverter.class,
            description = "reliable (1), recommended (cores / 2), performant (cores) or a number (default: ${DEFAULT-VALUE}).")
    int threads;

    // Not an exclusive @ArgGroup: with --filter first, picocli refuses --only-threat-events with "expected only one
    // match" instead of naming the conflict; MoveRequest refuses the pair in either order with one clear message.
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

    @ArgGroup(exclusive = false)
    Export export;

    @Option(names = "--drop-source-indexes",
            description = "Before copying, record the DDL of the source's indexes that back no constraint (in --export-dir, else the current"
                    + " folder, as source-indexes.sql) and drop them on the source to free their room; the target still gets them.")
    boolean dropSourceIndexes;

    @Option(names = "--delete-source",
            description = "After validation passed and a second confirmation: DROP DATABASE the source. Not with --skip-validation.")
    boolean deleteSource;

    @Mixin
    YesOption yes;

    /** --target URL, or a new server: --target-version MAJOR --target-dir DIR; exactly one. */
    static final class Target {
        @ArgGroup(exclusive = false)
        Existing existing;

        @ArgGroup(exclusive = false)
        NewServer newServer;
    }

    static final class Existing {
        @Option(names = "--target", required = true, paramLabel = "URL", description = "The database to move to, an empty one; written like --source.")
        String url;

        @Option(names = "--target-password-file", paramLabel = "FILE", description = "A file (mode 600) whose first line is the target's password.")
        Path passwordFile;
    }

    static final class NewServer {
        @Option(names = "--target-version", required = true, paramLabel = "MAJOR",
                description = "Instead of --target: start a new PostgreSQL server of this major version (10, 14, 16, 17) in --target-dir.")
        Integer version;

        @Option(names = "--target-dir", required = true, paramLabel = "DIR",
                description = "With --target-version: the new server's data folder (must not exist).")
        Path dir;
    }

    static final class Export {
        @Option(names = "--export-dir", required = true, paramLabel = "DIR",
                description = "Also write an export there while copying: manifest.json, pre-data.sql, post-data.sql, sequences.sql and one"
                        + " COPY file per table or range (a new or empty folder; --resume completes the same folder).")
        Path dir;

        @Option(names = "--compression", paramLabel = "LEVEL", converter = CompressionConverter.class,
                description = "With --export-dir: none (plain files), low (zstd 1), medium (zstd 6) or high (zstd 15); default: medium.")
        MoveRequest.Compression compression;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MoveRequest request = request();
        if (request.validateOnly()) {
            int code = MoveOutput.validation(Uplift.validateMove(request).differences(), MoveResult.PASSED, out);
            return request.deleteSource() ? deleteSource(request.source(), out) : code;
        }
        String to = request.target().map(Database::toString).orElseGet(() -> "a new PostgreSQL " + target.newServer.version
                + " server in " + target.newServer.dir);
        if (!yes.confirmed("Move " + request.source() + " to " + to + "?", "uplift db move", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        if (request.dropSourceIndexes()) {
            SourceIndexesToDrop drop = Uplift.sourceIndexesToDrop(request);
            MoveOutput.indexesToDrop(drop, request.source(), out);
            if (!drop.indexes().isEmpty() && !yes.confirmed("Drop these " + drop.indexes().size() + " indexes on the source "
                    + request.source() + "?", "uplift db move --drop-source-indexes", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            request = request.withIndexesToDrop(drop);
        }
        MoveReport report = Uplift.moveDatabase(request, new TerminalMoveListener(out, spec.commandLine().getErr()));
        MoveOutput.moved(report, out);
        request.indexesToDrop().ifPresent(drop -> out.println("The DDL of the dropped source indexes is in " + drop.file()
                + " (psql -f it on the source to create them again)."));
        if (!report.moved().validated()) {
            out.println("Not validated (--skip-validation): run the same command with --validate to compare source and target.");
            return 0;
        }
        int code = MoveOutput.validation(report.moved().differences(), report.moved().passed(), out);
        return request.deleteSource() ? deleteSource(request.source(), out) : code;
    }

    /** The databases found (each password asked at most once), then every option checked together by the request. */
    private MoveRequest request() {
        MoveRequest.Builder b = MoveRequest.builder()
                .source(CommandLineDatabase.resolve(spec, "--source", source, sourcePasswordFile))
                .threads(threads).pgToolsDir(pgToolsDir).resume(resume).validate(!skipValidation).validateOnly(validateOnly)
                .dropSourceIndexes(dropSourceIndexes).deleteSource(deleteSource).filters(filters).onlyThreatEvents(onlyThreatEvents);
        if (target.existing != null) {
            b.target(CommandLineDatabase.resolve(spec, "--target", target.existing.url, target.existing.passwordFile));
        } else {
            b.newServer(target.newServer.version, target.newServer.dir);
        }
        if (export != null) {
            b.exportDir(export.dir).compression(export.compression);
        }
        return b.build();
    }

    /** Only reached after validation passed: asks again, then drops the source database and says what went. */
    private int deleteSource(Database from, PrintWriter out) {
        SourceDescription what = Uplift.describeMoveSource(from);
        out.println("--delete-source: validation passed. This deletes the " + what + ", for good.");
        if (!yes.confirmed("Delete the source database " + from + " now?", "uplift db move --delete-source", out)) {
            out.println("The source was kept.");
            return 0;
        }
        Uplift.deleteMoveSource(from);
        out.println("Deleted: " + what + " (DROP DATABASE \"" + what.database() + "\", run from the server's postgres database).");
        out.flush();
        return 0;
    }
}
