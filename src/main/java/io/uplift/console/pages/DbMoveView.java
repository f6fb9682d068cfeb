package io.uplift.console.pages;

import io.uplift.api.SourceIndexesToDrop;
import io.uplift.console.Html;
import io.uplift.console.View;
import java.util.List;
import java.util.Optional;

/** The database move form, filled in with what the session last sent; every field names the 'db move' option it stands for. */
final class DbMoveView {
    private static final int LISTED_INDEXES = 30;

    private DbMoveView() {}

    static String body(DbMoveForm f, Optional<SourceIndexesToDrop> indexes, String digest, int cores, String installationUrl, View view) {
        StringBuilder b = new StringBuilder("<p>Moves a database to another PostgreSQL server (e.g. from 10 to 16), as 'uplift db move'"
                + " does: the schema, the rows by parallel COPY from one snapshot, then validation. It runs in the console's process;"
                + " the <a href=\"/upgrade\">Upgrade</a> page shows its lines and progress. Passwords never go in this form: they come"
                + " from a password file, PGPASSWORD or ~/.pgpass of the console's process, as on the command line. An export written"
                + " here loads elsewhere with <a href=\"/db-import\" id=\"to-import\">Database import</a>.</p>");
        StringBuilder fields = new StringBuilder();
        fields.append("<fieldset id=\"source-fields\"><legend>Source</legend>")
                .append(text("source", "Source database (--source)", f.source(), "postgresql://USER@HOST:PORT/DB"))
                .append(hint(installationUrl.isEmpty() ? "" : "The installation's database (as status shows it): " + installationUrl
                        + ". Add its user: postgresql://USER@HOST:PORT/DB."))
                .append(text("source-password-file", "Source password file, mode 600 (--source-password-file; optional)",
                        f.sourcePasswordFile(), "/root/source-password"))
                .append("</fieldset>");
        fields.append("<fieldset id=\"target-fields\"><legend>Target</legend>")
                .append(radio("target-kind", "new", "a new PostgreSQL server (--target-version, --target-dir)", "new".equals(f.targetKind())))
                .append(text("target-version", "PostgreSQL major version of the new server", f.targetVersion(), "16"))
                .append(text("target-dir", "Its data folder, which must not exist yet", f.targetDir(), "/var/lib/postgresql/16/main"))
                .append(radio("target-kind", "url", "an existing, empty database (--target)", "url".equals(f.targetKind())))
                .append(text("target", "Target database", f.target(), "postgresql://USER@HOST:PORT/DB"))
                .append(text("target-password-file", "Target password file, mode 600 (--target-password-file; optional)",
                        f.targetPasswordFile(), "/root/target-password"))
                .append("</fieldset>");
        fields.append("<fieldset id=\"threads-fields\"><legend>Threads (--threads)</legend>")
                .append(radio("threads", "reliable", "reliable: 1 thread, the gentlest on the source", "reliable".equals(f.threads())))
                .append(radio("threads", "recommended", "recommended: " + DbMovePage.threadsOf("recommended") + " threads (half of this"
                        + " machine's " + cores + " cores)", "recommended".equals(f.threads()) || f.threads().isEmpty()))
                .append(radio("threads", "performant", "performant: " + DbMovePage.threadsOf("performant") + " threads (every core),"
                        + " the fastest, and the heaviest on both servers", "performant".equals(f.threads())))
                .append(radio("threads", "n", "this many:", "n".equals(f.threads())))
                .append(text("threads-n", "Threads, 1 to 64", f.threadsN(), ""))
                .append("</fieldset>");
        fields.append("<fieldset id=\"rows-fields\"><legend>Rows</legend>")
                .append(checkbox("only-threat-events", "Only the events tied to a threat, and what references them (--only-threat-events)",
                        f.onlyThreatEvents()))
                .append("<label>Filters, one TABLE=PREDICATE a line (--filter): only the rows of TABLE matching the SQL predicate;"
                        + " rows referencing left-out rows are left out too <textarea name=\"filters\" id=\"filters\" rows=\"3\""
                        + " placeholder=\"events=occurred_at &gt;= '2023-06-01'\">").append(Html.text(f.filters())).append("</textarea></label>")
                .append("</fieldset>");
        fields.append("<fieldset id=\"source-care-fields\"><legend>The source</legend>")
                .append(checkbox("drop-source-indexes", "Reduce the source database size (--drop-source-indexes): before copying, record"
                        + " the DDL of the source's indexes that back no constraint, and drop them on the source", f.dropSourceIndexes()))
                .append(Html.notice("warn", "Queries on the source that use those indexes get slower until their DDL is run again;"
                        + " the target gets every index all the same. The indexes are listed for a second confirmation before anything"
                        + " is dropped."))
                .append(indexes.map(i -> indexList(i, digest)).orElse(""))
                .append(checkbox("delete-source", "Delete the source database after (--delete-source): DROP DATABASE once validation"
                        + " passed", f.deleteSource()))
                .append(Html.notice("fail", "<strong>This deletes the source database for good.</strong> It happens only after"
                        + " validation passed, and cannot go with filters or with validation off. Keep a backup."))
                .append(checkbox("delete-source-confirmed", "Yes, delete the source database once validation passed (second"
                        + " confirmation, needed with the option above)", false))
                .append("</fieldset>");
        fields.append("<fieldset id=\"validation-fields\"><legend>Validation</legend>")
                .append(checkbox("validate", "Validate (recommended): the row count and checksum of every chunk, and the schemas compared",
                        f.validate()))
                .append(Html.notice("warn", "Without validation nothing says that the target holds what the source held; on the benchmark"
                        + " the move was only a few per cent faster without it."))
                .append(checkbox("skip-validation-understood", "I understand the move is not checked when Validate is off (--skip-validation)",
                        f.skipValidationUnderstood()))
                .append(checkbox("validate-only", "Only compare an earlier move's source and target, change nothing (--validate; needs"
                        + " an existing target database)", f.validateOnly()))
                .append("</fieldset>");
        fields.append("<fieldset id=\"more-fields\"><legend>Export and more</legend>")
                .append(text("export-dir", "Export folder (--export-dir; optional): also write an export there while copying",
                        f.exportDir(), "/var/backups/lockbox-export"))
                .append(compression(f.compression()))
                .append(checkbox("resume", "Resume an earlier, interrupted move into the same target (--resume)", f.resume()))
                .append(text("pg-tools-dir", "Folder of pg_dump, pg_restore and psql (--pg-tools-dir; optional, default: the newest"
                        + " installed)", f.pgToolsDir(), "/usr/lib/postgresql/16/bin"))
                .append("</fieldset>");
        b.append(view.form("/db-move/start").field(fields.toString())
                .confirm("Start the database move now? The source is read from one snapshot; options that change the source"
                        + " (dropping indexes, deleting it) run only as confirmed in the form.")
                .block().button("Move the database"));
        b.append(view.form("/db-move/reset").button("Clear the form"));
        return b.toString();
    }

    private static String indexList(SourceIndexesToDrop drop, String digest) {
        StringBuilder b = new StringBuilder("<div id=\"indexes-to-drop\"><p>").append(drop.indexes().size())
                .append(" indexes of the source back no constraint, ").append(drop.bytes() / (1024 * 1024))
                .append(" MB in all; their DDL goes to ").append(Html.text(drop.file())).append(". ").append(drop.kept())
                .append(" indexes that back a constraint, or that a foreign key references, are kept.</p>");
        b.append(Html.table(List.of("Index", "Table", "Unique", "Size"), drop.indexes().subList(0, Math.min(LISTED_INDEXES, drop.indexes().size())),
                i -> List.of(Html.text(i.schema() + "." + i.name()), Html.text(i.schema() + "." + i.table()), i.unique() ? "unique" : "",
                        Html.text(i.bytes() / 1024 + " kB"))));
        if (drop.indexes().size() > LISTED_INDEXES) {
            b.append("<p>... and ").append(drop.indexes().size() - LISTED_INDEXES).append(" more (all in the file).</p>");
        }
        b.append("<label><input type=\"checkbox\" name=\"indexes-digest\" id=\"indexes-digest\" value=\"").append(Html.attr(digest))
                .append("\"> Drop exactly these ").append(drop.indexes().size()).append(" indexes on the source</label></div>");
        return b.toString();
    }

    private static String compression(String value) {
        StringBuilder b = new StringBuilder("<label>Compression of the export (--compression) <select name=\"compression\" id=\"compression\">");
        for (String[] option : new String[][] {{"", "default (medium), or none without an export"}, {"none", "none: plain files"},
                {"low", "low: zstd 1"}, {"medium", "medium: zstd 6"}, {"high", "high: zstd 15"}}) {
            b.append("<option value=\"").append(Html.attr(option[0])).append('"').append(option[0].equals(value) ? " selected" : "")
                    .append('>').append(Html.text(option[1])).append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    private static String text(String name, String label, String value, String placeholder) {
        return "<label>" + Html.text(label) + " <input type=\"text\" name=\"" + Html.attr(name) + "\" id=\"" + Html.attr(name) + "\" value=\""
                + Html.attr(value) + "\"" + (placeholder.isEmpty() ? "" : " placeholder=\"" + Html.attr(placeholder) + "\"")
                + " autocomplete=\"off\" spellcheck=\"false\"></label>";
    }

    private static String checkbox(String name, String label, boolean checked) {
        return "<label><input type=\"checkbox\" name=\"" + Html.attr(name) + "\" id=\"" + Html.attr(name) + "\"" + (checked ? " checked" : "")
                + "> " + Html.text(label) + "</label>";
    }

    private static String radio(String name, String value, String label, boolean checked) {
        return "<label><input type=\"radio\" name=\"" + Html.attr(name) + "\" id=\"" + Html.attr(name + "-" + value) + "\" value=\""
                + Html.attr(value) + "\"" + (checked ? " checked" : "") + "> " + Html.text(label) + "</label>";
    }

    private static String hint(String text) {
        return text.isEmpty() ? "" : "<p class=\"hint\">" + Html.text(text) + "</p>";
    }
}
