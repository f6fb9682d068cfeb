package io.uplift.console.pages;

import io.javalin.http.Context;
import io.uplift.Uplift;
import io.uplift.api.Database;
import io.uplift.api.ErrorCode;
import io.uplift.api.MoveRequest;
import io.uplift.api.ThreadCount;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the database move form holds, as sent: every option of 'uplift db move', kept per session so
 * that a refused form comes back filled in. It never holds a password: a connection string with one is
 * refused and never shown again ({@link #echo}), and passwords come from where the command line
 * takes them (a password file, PGPASSWORD, ~/.pgpass of the console's process).
 *
 * @param targetKind     "url" (an existing, empty database) or "new" (a new server of targetVersion in targetDir)
 * @param threads        reliable, recommended, performant, or "n" for threadsN
 * @param compression    "" (the default, medium: only with an export) or none, low, medium, high
 * @param filters        TABLE=PREDICATE, one a line
 * @param indexesDigest  the digest of the indexes to drop the operator saw and agreed to ("" until then)
 */
record DbMoveForm(String source, String sourcePasswordFile, String targetKind, String target, String targetPasswordFile,
        String targetVersion, String targetDir, String threads, String threadsN, String compression, boolean onlyThreatEvents,
        String filters, boolean dropSourceIndexes, String indexesDigest, boolean deleteSource, boolean deleteSourceConfirmed,
        boolean validate, boolean skipValidationUnderstood, boolean validateOnly, String exportDir, boolean resume, String pgToolsDir) {

    /** The empty form: the installation's database as source, a new PostgreSQL 16, recommended threads, validation on. */
    static DbMoveForm initial(String source) {
        return new DbMoveForm(source, "", "new", "", "", "16", "", "recommended", "", "", false, "", false, "", false, false, true, false,
                false, "", false, "");
    }

    static DbMoveForm from(Context ctx) {
        return new DbMoveForm(text(ctx, "source"), text(ctx, "source-password-file"), "url".equals(text(ctx, "target-kind")) ? "url" : "new",
                text(ctx, "target"), text(ctx, "target-password-file"), text(ctx, "target-version"), text(ctx, "target-dir"),
                text(ctx, "threads"), text(ctx, "threads-n"), text(ctx, "compression"), on(ctx, "only-threat-events"), text(ctx, "filters"),
                on(ctx, "drop-source-indexes"), text(ctx, "indexes-digest"), on(ctx, "delete-source"), on(ctx, "delete-source-confirmed"),
                on(ctx, "validate"), on(ctx, "skip-validation-understood"), on(ctx, "validate-only"), text(ctx, "export-dir"),
                on(ctx, "resume"), text(ctx, "pg-tools-dir"));
    }

    /**
     * The form as it may be shown again: a connection string that may hold a password is dropped, and
     * the second confirmations (indexes to drop, deleting the source) are asked again.
     */
    DbMoveForm echo(boolean clearConnections) {
        return new DbMoveForm(clearConnections || mayHoldPassword(source) ? "" : source, sourcePasswordFile, targetKind,
                clearConnections || mayHoldPassword(target) ? "" : target,
                targetPasswordFile, targetVersion, targetDir, threads, threadsN,
                compression, onlyThreatEvents, filters, dropSourceIndexes, "", deleteSource, false, validate, skipValidationUnderstood,
                validateOnly, exportDir, resume, pgToolsDir);
    }

    /** The thread count this form asks for on a machine of {@code cores}. */
    int threadCount(int cores) {
        String value = "n".equals(threads) ? threadsN : threads.isEmpty() ? "recommended" : threads;
        return refusedAs("Threads", () -> ThreadCount.parse(value, cores));
    }

    /**
     * The request, checked as 'uplift db move' checks it; a refusal names the form's field and the fix.
     * The console's own rules come first: a connection string holding a password, a path that is not
     * absolute (the console's working folder is nobody's business), the second confirmations.
     */
    MoveRequest request(int cores) {
        if (!validate && !validateOnly && !skipValidationUnderstood) {
            throw refusal("Validate", "it is off, and the move would then not be checked: tick 'I understand the move is not checked'"
                    + " under it, or leave Validate on (recommended).");
        }
        if (deleteSource && !deleteSourceConfirmed) {
            throw refusal("Delete the source database after", "tick the second box to confirm that the source is dropped for good"
                    + " once validation passed, or untick the option.");
        }
        MoveRequest.Builder b = MoveRequest.builder()
                .source(database("Source database", "--source", source, sourcePasswordFile))
                .threads(threadCount(cores)).resume(resume).validate(validate || validateOnly).validateOnly(validateOnly)
                .dropSourceIndexes(dropSourceIndexes).deleteSource(deleteSource).onlyThreatEvents(onlyThreatEvents);
        refusedAs("Filters", () -> b.filters(filterLines()));
        Optional<Path> tools = FormPaths.optional("PostgreSQL tools folder", pgToolsDir); // refused as it is, outside refusedAs: named once
        refusedAs("PostgreSQL tools folder", () -> b.pgToolsDir(tools.orElse(null)));
        if ("url".equals(targetKind)) {
            b.target(database("Target database", "--target", target, targetPasswordFile));
        } else {
            Path dir = FormPaths.optional("New server's data folder", targetDir).orElseThrow(() -> refusal("New server's data folder",
                    "give the folder for the new server's data (it must not exist yet), e.g. /var/lib/postgresql/16/main"));
            refusedAs("New server's version", () -> b.newServer(major(), dir));
        }
        Optional<Path> export = FormPaths.optional("Export folder", exportDir);
        b.exportDir(export.orElse(null));
        if (!compression.isEmpty()) {
            b.compression(refusedAs("Compression", () -> MoveRequest.Compression.valueOf(compression.toUpperCase(Locale.ROOT))));
        }
        return refusedAs("Options", b::build);
    }

    private int major() {
        try {
            return Integer.parseInt(targetVersion.strip());
        } catch (NumberFormatException e) {
            throw new UpliftException(ErrorCode.USAGE, "'" + targetVersion + "' is not a PostgreSQL major version: choose one, e.g. 16.");
        }
    }

    private List<String> filterLines() {
        List<String> lines = new ArrayList<>();
        filters.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
        return lines;
    }

    /** Resolved as the command line resolves --source and --target; a password written in the string is refused. */
    private static Database database(String field, String flag, String connection, String passwordFile) {
        if (connection.isBlank()) {
            throw refusal(field, "give its connection string, postgresql://USER@HOST:PORT/DB (or 'host=... dbname=... user=...').");
        }
        Optional<Path> file = FormPaths.optional(field + " password file", passwordFile);
        List<String> warnings = new ArrayList<>();
        Database db = refusedAs(field, () -> Uplift.resolveDatabaseWithoutAsking(flag, connection, file, warnings::add));
        if (!warnings.isEmpty()) {
            // The command line's warning, as a refusal: the console never takes a password in a form.
            throw new PasswordInForm(field, warnings.get(0).replaceFirst("^Warning: ", ""));
        }
        return db;
    }

    /**
     * Whether {@code connection} may hold a password (URI user info with a colon, or a password keyword):
     * such a string is never written back into the page, whatever else the form says.
     */
    static boolean mayHoldPassword(String connection) {
        return PASSWORD_IN_TEXT.matcher(connection).find();
    }

    private static final java.util.regex.Pattern PASSWORD_IN_TEXT = java.util.regex.Pattern.compile(
            "(?i)^\\s*postgres(ql)?://[^/?#@]*:[^/?#@]*@|password\\s*=");

    /** A refusal of a connection string that held a password: the form comes back without it. */
    static final class PasswordInForm extends UpliftException {
        PasswordInForm(String field, String message) {
            super(ErrorCode.USAGE, field + ": " + message + " The console refuses a password in the form: nothing was started, and the"
                    + " connection strings were cleared.");
        }
    }

    private static UpliftException refusal(String field, String message) {
        return new UpliftException(ErrorCode.USAGE, field + ": " + message + " Nothing was started.");
    }

    private static <T> T refusedAs(String field, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (PasswordInForm e) {
            throw e;
        } catch (UpliftException e) {
            throw new UpliftException(e.code(), field + ": " + e.getMessage() + " Nothing was started.", e);
        }
    }

    private static String text(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
    }

    private static boolean on(Context ctx, String name) {
        return ctx.formParam(name) != null;
    }
}
