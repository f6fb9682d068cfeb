package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.Database;
import io.uplift.api.ExportSummary;
import io.uplift.api.ImportRequest;
import io.uplift.api.ImportResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Loads an export written by 'uplift db move --export-dir' into an empty database: checks every file against",
                "manifest.json first (nothing is written if one is missing or differs, or if a manifest field is missing or not",
                "allowed), then pre-data.sql (statement by statement over JDBC, never psql: a psql backslash command refuses the",
                "import), the COPY files in parallel (zstd decompressed on the fly), large objects, post-data.sql, the sequence",
                "values and ANALYZE.",
                "Each step and each file commits with its record in the target: a failed or killed import goes on with --resume.",
                "Exit 23 when the import fails or the export does not match its manifest, 2 for a bad command line."})
final class DbImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPORT_DIR", description = "The export folder (it holds manifest.json).")
    Path exportDir;

    @Option(names = "--target", required = true, paramLabel = "URL",
            description = "An empty database: postgresql://USER@HOST:PORT/DB (a socket folder as ?host=/run/postgresql),"
                    + " 'host=... dbname=... user=...' or 'service=NAME'.")
    String target;

    @Option(names = "--target-password-file", paramLabel = "FILE",
            description = "A file (mode 600) whose first line is the target's password. Else: the URL, PGPASSWORD, ~/.pgpass, a question on the terminal.")
    Path targetPasswordFile;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "recommended", converter = ThreadsConverter.class,
            description = "reliable (1), recommended (cores / 2), performant (cores) or a number (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pg-tools-dir", paramLabel = "DIR",
            description = "Not needed any more (the import runs its SQL over JDBC, not psql); accepted for older scripts.")
    Path pgToolsDir;

    @Option(names = "--resume", description = "Finish an import into this target that failed or was killed: the steps and files"
            + " recorded as done are skipped. Refused for an import of another export.")
    boolean resume;

    @Mixin
    YesOption yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Database to = CommandLineDatabase.resolve(spec, "--target", target, targetPasswordFile);
        ImportRequest request = ImportRequest.builder().exportDir(exportDir).target(to).threads(threads).pgToolsDir(pgToolsDir)
                .resume(resume).build();
        ExportSummary m = Uplift.readExport(exportDir);
        out.printf("Export of %s (PostgreSQL %s) made %s: %d data files, %d sequences%s.%n", m.sourceDatabase(), m.sourceServerVersion(),
                m.createdAt(), m.dataFiles(), m.sequences(),
                m.largeObjects().isEmpty() ? "" : ", " + m.largeObjects().getAsLong() + " large objects");
        if (!yes.confirmed("Import " + exportDir + " into " + to + "?", "uplift db import", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        ImportResult r = Uplift.importDatabase(request, new TerminalMoveListener(out, spec.commandLine().getErr()));
        out.printf("Imported %,d rows (%,d MB of COPY data) from %d files, %d sequences, %d large objects, in %.1f s.%n", r.rows(),
                r.bytes() / (1024 * 1024), r.files(), r.sequences(), r.largeObjects(), r.took().toMillis() / 1000.0);
        out.flush();
        return 0;
    }
}
