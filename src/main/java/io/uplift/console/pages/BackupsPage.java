package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.ErrorCode;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.api.UpliftException;
import io.uplift.api.VerifyResult;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.RunListener;
import io.uplift.console.View;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The backups in the backup folder ('uplift backup --list'), "Take a backup now" ('uplift backup') and
 * Verify per backup ('uplift backup --verify ID'). Both run as console jobs, not in the request: a backup
 * dumps the whole database and copies every file, and a verification re-reads all of it (and, for a copy
 * of a data folder, starts a throwaway server on it), which takes minutes on a real installation.
 */
final class BackupsPage implements Pages {
    static final String BACKUP_KIND = "a backup";
    static final String VERIFY_KIND = "the verification of backup ";
    private static final double MB = 1024.0 * 1024.0;

    /** What the verifications run in this console found, by backup id; a backup is verified when written, this is the re-check. */
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    private record Checked(Instant at, boolean ok, String summary) {}

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/backups", "Backups", "/backups", (ctx, view) -> body(routes, view));
        routes.action("/backups/take", (ctx, view) -> {
            try {
                routes.runs().start(view.session(), BACKUP_KIND, (uplift, l) -> take(uplift, l));
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
                return "/backups";
            }
            return "/upgrade";
        });
        routes.action("/backups/verify", (ctx, view) -> {
            String id = ctx.formParam("id");
            Uplift uplift = routes.uplift();
            if (id == null || uplift.listBackups().stream().noneMatch(m -> m.id().equals(id))) {
                routes.flash(view, "fail", "The field 'id' names no complete backup in " + uplift.backupDir() + " (got '" + id
                        + "'): pick one from the list on this page.");
                return "/backups";
            }
            try {
                routes.runs().start(view.session(), VERIFY_KIND + id, (u, l) -> verify(u, l, id));
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
                return "/backups";
            }
            return "/upgrade";
        });
    }

    private String body(ConsoleRoutes routes, View view) {
        Uplift uplift = routes.uplift();
        List<BackupManifest> all = uplift.listBackups();
        boolean busy = ConsoleJobNotice.busy(routes);
        StringBuilder b = new StringBuilder("<p>The complete backups in <code id=\"backup-dir\">").append(Html.text(uplift.backupDir()))
                .append("</code>, newest first. Each holds the database and app/, config/ and data/, with a manifest of checksums; it is"
                        + " verified when written, and Verify re-reads it against its manifest. Every upgrade takes one first.</p>");
        b.append(ConsoleJobNotice.of(routes, BACKUP_KIND, VERIFY_KIND));
        b.append(view.form("/backups/take")
                .confirm("Take a backup now? The database is dumped (or, for a server Uplift manages that pg_dump is too old for, stopped"
                        + " while its data folder is copied), then the backup is verified. Afterwards only the newest "
                        + BackupSettings.DEFAULT_KEEP + " backups of this installation are kept; older ones are deleted.")
                .disabledWhen(busy, "The console runs a job: wait for it to end.")
                .block().button("Take a backup now"));
        if (all.isEmpty()) {
            return b.append("<p id=\"no-backups\">No complete backup in this folder yet.</p>").toString();
        }
        b.append("<table id=\"backups\"><thead><tr><th>Backup</th><th>Taken</th><th>Version</th><th>Database</th><th>Size</th>"
                + "<th>Verified</th><th></th></tr></thead><tbody>");
        for (BackupManifest m : all) {
            b.append("<tr id=\"backup-").append(Html.attr(m.id())).append("\"><td><code>").append(Html.text(m.id())).append("</code></td><td>")
                    .append(InstantText.time(m.created(), "-")).append("</td><td>").append(Html.text(m.product() + " " + m.version())).append("</td><td>")
                    .append(Html.text("PostgreSQL " + m.databaseServerVersion() + (m.isDataFolderCopy() ? ", data-folder copy" : ", pg_dump")))
                    .append("</td><td>").append(Html.text(String.format("%.1f MB", m.totalBytes() / MB))).append("</td><td class=\"verified\">")
                    .append(verified(m.id())).append("</td><td>")
                    .append(view.form("/backups/verify").hidden("id", m.id()).disabledWhen(busy, "The console runs a job: wait for it to end.")
                            .button("Verify"))
                    .append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private String verified(String id) {
        Checked c = checked.get(id);
        if (c == null) {
            return Html.badge("pass", "when written");
        }
        return Html.badge(c.ok() ? "pass" : "fail", c.ok() ? "intact" : "FAILED") + " <span class=\"hint\">" + Html.text(c.summary()
                + ", re-checked " + InstantText.seconds(c.at().toString())) + "</span>";
    }

    private static String take(Uplift uplift, RunListener l) {
        l.line("Backing up to " + uplift.backupDir() + ": the database, then app/, config/ and data/, then the verification.");
        BackupResult r = uplift.backup(new BackupSettings(Optional.empty(), BackupSettings.DEFAULT_KEEP, Set.of()),
                l.progress(new Step("backup", StepKind.BACKUP, "Backing up", "")));
        BackupManifest m = r.manifest();
        l.line(String.format("verified: %d items, %.1f MB re-read, checksums match", r.verification().filesChecked(),
                r.verification().bytesChecked() / MB));
        if (!r.removed().isEmpty()) {
            l.line("removed older backups (retention): " + String.join(", ", r.removed()));
        }
        return String.format("backup %s of %s %s written and verified in %.1f s, %.1f MB.", m.id(), m.product(), m.version(),
                r.took().toMillis() / 1000.0, m.totalBytes() / MB);
    }

    private String verify(Uplift uplift, RunListener l, String id) {
        l.line("Verifying backup " + id + ": every file re-read against its manifest, and the database part proven usable.");
        VerifyResult v = uplift.verifyBackup(id, Optional.empty());
        if (!v.ok()) {
            checked.put(id, new Checked(Instant.now(), false, v.problems().size() + " problem(s)"));
            v.problems().forEach(p -> l.line("problem: " + p));
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "the backup does not match its manifest, " + v.problems().size()
                    + " problem(s): " + v.problems().stream().map(Object::toString).collect(Collectors.joining("; "))
                    + ". Do not restore from it; take a new backup or use another one.");
        }
        String summary = String.format("%d items, %.1f MB re-read", v.filesChecked(), v.bytesChecked() / MB);
        checked.put(id, new Checked(Instant.now(), true, summary));
        return "backup " + id + " is intact: " + summary + ", checksums match, the database part is usable.";
    }
}
