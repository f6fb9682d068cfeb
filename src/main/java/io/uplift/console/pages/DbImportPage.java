package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.Database;
import io.uplift.api.ExportSummary;
import io.uplift.api.ImportRequest;
import io.uplift.api.ImportResult;
import io.uplift.api.ThreadCount;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * 'uplift db import': loads an export written by the database move ('--export-dir') into an empty
 * database, as a job. The export is checked against its manifest before anything is written; the
 * target's password comes from a password file or the console's environment, never from the form.
 */
final class DbImportPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/db-import", "Database import", "/db-move", (ctx, view) -> "<p>Loads an export written by the database move"
                + " (its export folder, holding manifest.json) into an <strong>empty</strong> database. Every file is checked against the"
                + " manifest first: nothing is written if one is missing or differs. A failed or interrupted import goes on with"
                + " <em>Resume</em>.</p>"
                + view.form("/db-import").block()
                        .field("<label>Export folder (on this machine) <input name=\"exportDir\" id=\"import-dir\" size=\"60\" required></label>")
                        .field("<label>Target database: postgresql://USER@HOST:PORT/DB (never with a password)"
                                + " <input name=\"target\" id=\"import-target\" size=\"60\" required></label>")
                        .field("<label>Target password file (mode 600, on this machine; else PGPASSWORD or ~/.pgpass of the console's user)"
                                + " <input name=\"targetPasswordFile\" size=\"60\"></label>")
                        .field("<label>Threads <select name=\"threads\"><option value=\"reliable\">reliable (1)</option>"
                                + "<option value=\"recommended\" selected>recommended (" + Math.max(1, cores() / 2) + ")</option>"
                                + "<option value=\"performant\">performant (" + cores() + ")</option></select></label>")
                        .field("<label><input type=\"checkbox\" name=\"resume\" value=\"on\"> Resume an import into this target that failed"
                                + " or was interrupted</label>")
                        .confirm("Import the export into the target database?")
                        .button("Import"));
        routes.action("/db-import", (ctx, view) -> {
            String dir = ctx.formParam("exportDir");
            String target = ctx.formParam("target");
            if (dir == null || dir.isBlank() || target == null || target.isBlank()) {
                routes.flash(view, "fail", "Export folder and Target database are both needed. Nothing was started.");
                return "/db-import";
            }
            List<String> warnings = new ArrayList<>();
            Database to = Uplift.resolveDatabaseWithoutAsking("--target", target.trim(), FormPaths.optional("Target password file", ctx.formParam("targetPasswordFile")),
                    warnings::add);
            Path exportDir = FormPaths.required("Export folder", dir);
            ExportSummary m = Uplift.readExport(exportDir);
            ImportRequest request = ImportRequest.builder().exportDir(exportDir).target(to)
                    .threads(ThreadCount.parse(String.valueOf(ctx.formParam("threads")), cores())).resume("on".equals(ctx.formParam("resume")))
                    .build();
            routes.runs().start(view.session(), "the import of " + exportDir, (uplift, l) -> {
                warnings.forEach(l::line);
                l.line("Export of " + m.sourceDatabase() + " (PostgreSQL " + m.sourceServerVersion() + ") made " + m.createdAt() + ": "
                        + m.dataFiles() + " data files, " + m.sequences() + " sequences.");
                ImportResult r = Uplift.importDatabase(request, l);
                return "Imported " + r.rows() + " rows from " + r.files() + " files, " + r.sequences() + " sequences, " + r.largeObjects()
                        + " large objects, in " + r.took().toMillis() / 1000 + " s.";
            });
            return "/upgrade";
        });
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
