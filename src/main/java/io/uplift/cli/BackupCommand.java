package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.VerifyResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Backs up the installation: the database (pg_dump, one consistent snapshot), app/, config/ and data/"
                        + " (not db/, not .uplift/), with a manifest of SHA-256 checksums, then verifies the backup. Nothing is"
                        + " written when the backup folder lacks room (database + folders + 20%%).",
                "A database server Uplift manages that pg_dump is too old for (PostgreSQL 16 after the demo's move) is saved as a"
                        + " copy of its data folder instead: the server is stopped for the copy and started again, and a throwaway"
                        + " server started on the copy proves it usable.",
                "app/, config/ and data/ must be real folders (not symbolic links), and --backup-dir must lie outside them.",
                "--verify ID re-checks a backup; --list shows the backups in the backup folder.",
                "Retention: after each successful backup, the newest N complete backups of this installation (--keep,"
                        + " default 3) stay and older ones are deleted, except the backup of an upgrade in progress. Backups of"
                        + " other installations in the same folder are never deleted; unfinished ones (ID.partial) are deleted"
                        + " by the next backup.",
                "Exit 17 when a backup cannot be written or does not verify, or there is no room for it; 2 when --backup-dir"
                        + " lies inside a folder the backup copies; 12 when app/, config/ or data/ is a symbolic link."})
final class BackupCommand implements Callable<Integer> {
    private static final double MB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "The backup folder (default: HOME/.uplift/backups; a folder on another disk is safer).")
    Path backupDir;

    @Option(names = "--verify", paramLabel = "ID", description = "Re-check the backup ID against its manifest; write nothing.")
    String verify;

    @Option(names = "--list", description = "List the complete backups in the backup folder, newest first; write nothing.")
    boolean list;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + BackupSettings.DEFAULT_KEEP,
            description = "How many backups of this installation to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--pg-tools-dir", paramLabel = "DIR",
            description = "The folder holding pg_dump and pg_restore (default: the newest /usr/lib/postgresql/*/bin);"
                    + " their version must be at least the database server's.")
    Path pgToolsDir;

    @Override
    public Integer call() {
        if (verify != null && list) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--verify and --list do not go together: pick one.");
        }
        if (keep < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keep must be 1 or more, got " + keep);
        }
        Uplift uplift = home.configure(backupDir).load();
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            printList(out, uplift);
        } else if (verify != null) {
            printVerification(out, uplift.verifyBackup(verify, Optional.ofNullable(pgToolsDir)));
        } else {
            BackupResult r = uplift.backup(new BackupSettings(Optional.ofNullable(pgToolsDir), keep, Set.of()),
                    new TerminalProgress(spec.commandLine().getErr(), "Backing up", "bytes"));
            printCreated(out, r);
        }
        out.flush();
        return 0;
    }

    private static void printCreated(PrintWriter out, BackupResult r) {
        BackupManifest m = r.manifest();
        long files = m.files().stream().filter(BackupManifest.Entry::isFile).count();
        long fileBytes = m.totalBytes() - m.databaseBytes();
        out.printf("Backup %s written and verified in %.1f s.%n", m.id(), r.took().toMillis() / 1000.0);
        out.printf("  folder    %s%n", r.folder());
        out.printf("  created   %s%n", m.created());
        if (m.isDataFolderCopy()) {
            out.printf("  database  %s on PostgreSQL %s, schema %s: copy of the stopped server's data folder %s, %.1f MB;"
                    + " a server started on it counted %d tables%n", m.databaseName(), m.databaseServerVersion(),
                    m.schemaVersion() == null ? "none" : m.schemaVersion(), m.dataFolder(), m.databaseBytes() / MB, m.tableRows().size());
        } else {
            out.printf("  database  %s on PostgreSQL %s, schema %s: dump of %.1f MB (pg_dump %s)%n", m.databaseName(),
                    m.databaseServerVersion(), m.schemaVersion() == null ? "none" : m.schemaVersion(), m.databaseBytes() / MB, m.pgDumpVersion());
        }
        out.printf("  files     %d files, %.1f MB from app/, config/ and data/%n", files, fileBytes / MB);
        out.printf("  verified  %d items, %.1f MB re-read: checksums match, %s%n", r.verification().filesChecked(),
                r.verification().bytesChecked() / MB, m.isDataFolderCopy() ? "the copy starts and its row counts are recorded"
                        : "pg_restore reads the dump");
        out.printf("  size      %.1f MB%n", m.totalBytes() / MB);
        if (!r.removed().isEmpty()) {
            out.printf("  removed   older backups (retention): %s%n", String.join(", ", r.removed()));
        }
    }

    private static void printVerification(PrintWriter out, VerifyResult v) {
        if (!v.ok()) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + v.id() + " failed verification, " + v.problems().size()
                    + " problem(s):\n  " + v.problems().stream().map(Object::toString).collect(Collectors.joining("\n  "))
                    + "\nDo not restore from it; take a new backup ('uplift backup') or use another one ('uplift backup --list').");
        }
        out.printf("Backup %s is intact: %d items, %.1f MB re-read, checksums match, the database part is usable"
                + " (pg_restore reads the dump, or a server started on a scratch copy of the data folder has the recorded rows).%n",
                v.id(), v.filesChecked(), v.bytesChecked() / MB);
    }

    private static void printList(PrintWriter out, Uplift uplift) {
        List<BackupManifest> all = uplift.listBackups();
        if (all.isEmpty()) {
            out.println("No complete backups in " + uplift.backupDir() + ".");
            return;
        }
        out.printf("Backups in %s, newest first:%n", uplift.backupDir());
        for (BackupManifest m : all) {
            out.printf("  %-36s %-24s %s %s, PostgreSQL %s, %.1f MB, %s%n", m.id(), m.created(), m.product(), m.version(),
                    m.databaseServerVersion(), m.totalBytes() / MB, m.home());
        }
    }
}
