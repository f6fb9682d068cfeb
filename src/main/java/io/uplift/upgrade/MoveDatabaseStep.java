package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release;
import io.uplift.cluster.DatabaseRelocation;
import io.uplift.dbmove.DatabaseMove;
import io.uplift.api.MoveListener;
import io.uplift.api.MoveResult;
import io.uplift.dbmove.MoveSettings;
import io.uplift.dbmove.NewServer;
import io.uplift.dbmove.PgUrl;
import io.uplift.dbmove.ChunkCopier;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.ManagedDatabase;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.DurableFiles;
import io.uplift.journal.JournalStep;
import io.uplift.journal.StepStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Moves the product database to a new server of the release's PostgreSQL version, managed by
 * Uplift in HOME/db/pgN, then points config/database.properties at it. The old server is stopped
 * and left intact (an obsolete dependency, for 'uplift cleanup'); in a cluster it is left running and
 * intact, and the cluster's coordination rows are carried along ({@link DatabaseRelocation}) so that
 * every other node's agent finds where the database went. What the step found before it
 * changed anything (the old settings file, the old managed server, the new server's port and
 * superuser password) is recorded first, so that resume and undo work from any instant.
 *
 * <p>Secrets stay out of the journal, which is kept in .uplift/history/ for good: the old settings
 * file (it holds the database password) is copied to .uplift/move/ (mode 600, removed when the
 * upgrade ends) and the new server's superuser password goes to {@code db/pgN.superuser-password}
 * (mode 600, beside the server it belongs to); the journal's facts only name these files.
 */
final class MoveDatabaseStep implements UpgradeStep {
    /** The folder under .uplift/ of what undo needs until the upgrade ends. */
    static final String LEFTOVERS = "move";
    private static final String OLD_SETTINGS_FILE = "old-settings-file";
    private static final String ADMIN_FILE = "superuser-password-file";
    // Facts of journals written before issue 13: the secrets themselves. Still read, never written.
    private static final String OLD_SETTINGS_LEGACY = "old-settings";
    private static final String ADMIN_LEGACY = "admin";

    @Override
    public void apply(StepContext c) throws Exception {
        int major = targetMajor(c);
        Installation inst = c.installation();
        if (inst.state().managedDatabase() != null && inst.state().managedDatabase().major() == major) {
            return; // already moved and repointed
        }
        String key = "move." + c.hop().to() + ".";
        Map<String, String> facts = c.journal().get().facts();
        // Each file is written (over whatever an earlier upgrade left) until its fact is recorded, and
        // never again after: until then nothing was changed, so the file in place is still the original.
        if (!facts.containsKey(key + OLD_SETTINGS_LEGACY) && !facts.containsKey(key + OLD_SETTINGS_FILE)) {
            DurableFiles.write(oldSettingsCopy(c), Files.readAllBytes(c.home().resolve(DatabaseSettings.FILE)));
            c.journal().factOnce(key + OLD_SETTINGS_FILE, c.home().relativize(oldSettingsCopy(c)).toString());
        }
        c.journal().factOnce(key + "old-managed", encode(inst.state().managedDatabase()));
        if (!facts.containsKey(key + ADMIN_LEGACY) && !facts.containsKey(key + ADMIN_FILE)) {
            DurableFiles.write(superuserPasswordFile(c, major), NewServer.randomPassword().getBytes(StandardCharsets.UTF_8));
            c.journal().factOnce(key + ADMIN_FILE, c.home().relativize(superuserPasswordFile(c, major)).toString());
        }
        DatabaseSettings old = inst.databaseSettings();
        PgUrl source = PgUrl.fromJdbc(old.url(), old.user(), old.password());
        facts = c.journal().get().facts();
        int port = Integer.parseInt(facts.getOrDefault(key + "port", "0"));
        String admin = facts.containsKey(key + ADMIN_LEGACY) ? facts.get(key + ADMIN_LEGACY)
                : Files.readString(superuserPasswordFile(c, major), StandardCharsets.UTF_8).strip();
        NewServer.Started started = NewServer.ensure(major, dataDir(c, major), port, admin, source);
        c.journal().factOnce(key + "port", Integer.toString(started.server().port()));
        c.listener().message("new PostgreSQL " + major + " server in " + dataDir(c, major) + " on port " + started.server().port());

        // A cluster's coordination tables move without their rows (DatabaseRelocation carries those once the data is validated).
        MoveSettings settings = new MoveSettings(source, started.url(), Math.max(1, Runtime.getRuntime().availableProcessors()),
                DatabaseRelocation.moveFilters(old), Optional.empty(), MoveSettings.Compression.NONE, Optional.empty(), true, true, true);
        MoveResult moved = new DatabaseMove(settings, listener(c), ChunkCopier.Tee.NONE).run();
        if (!moved.differences().isEmpty()) {
            throw new UpliftException(ErrorCode.VALIDATION_FAILED, "The moved database differs from the old one: "
                    + String.join("; ", moved.differences().subList(0, Math.min(5, moved.differences().size())))
                    + ". The old server still holds the data unchanged; run 'uplift rollback'.");
        }
        c.listener().message(String.format("moved %,d rows in %.1f s, validated", moved.rows(), moved.took().toMillis() / 1000.0));
        DatabaseSettings moved16 = new DatabaseSettings(started.url().jdbcUrl(), old.user(), old.password());
        if (MaintenanceMode.isOn(c.home())) {
            MaintenanceMode.setReadOnly(moved16, true); // database settings are not part of the move
        }
        // Before this node's settings change: its own agent must not reach the new database before the cluster's rows are there.
        boolean cluster = DatabaseRelocation.carry(old, moved16, c.home());
        if (cluster) {
            c.listener().message("the cluster's coordination moved along; every node's agent follows it to " + started.url());
        }
        DurableFiles.replaceKeepingOwner(c.home().resolve(DatabaseSettings.FILE), moved16.toBytes());
        ManagedDatabase previous = inst.state().managedDatabase();
        record(c, new ManagedDatabase(major, dataDir(c, major).toString(), started.server().port(), started.server().user().name()));
        // In a cluster the old server stays up: the other nodes' agents read there where the database went.
        // It is an obsolete dependency all the same, for 'uplift cleanup' once every node follows.
        if (previous != null && !cluster) {
            new ProductDatabase(Installation.open(c.home())).stopServer(previous);
        }
    }

    @Override
    public void verify(StepContext c) {
        ManagedDatabase m = c.installation().state().managedDatabase();
        if (m == null || m.major() != targetMajor(c)) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "After the move the installation does not use a PostgreSQL "
                    + targetMajor(c) + " server; run 'uplift resume' or 'uplift rollback'.");
        }
    }

    @Override
    public void undo(StepContext c) throws Exception {
        String key = "move." + c.hop().to() + ".";
        Map<String, String> facts = c.journal().get().facts();
        byte[] oldSettings;
        if (facts.containsKey(key + OLD_SETTINGS_FILE)) {
            oldSettings = Files.readAllBytes(c.home().resolve(facts.get(key + OLD_SETTINGS_FILE)));
        } else if (facts.containsKey(key + OLD_SETTINGS_LEGACY)) {
            oldSettings = Base64.getDecoder().decode(facts.get(key + OLD_SETTINGS_LEGACY)); // a journal of an older Uplift
        } else {
            return; // nothing was changed
        }
        int major = targetMajor(c);
        Installation inst = c.installation();
        // While the new server still runs: the cluster's rows go back, and agents still there are told to follow back.
        DatabaseRelocation.withdraw(DatabaseRelocation.parse(oldSettings), inst.databaseSettings());
        ManagedDatabase now = inst.state().managedDatabase();
        if (now != null && now.major() == major) {
            new ProductDatabase(inst).stopServer(now);
        } else if (facts.containsKey(key + "port")) {
            Path dir = dataDir(c, major);
            new ProductDatabase(inst).stopServer(new ManagedDatabase(major, dir.toString(), Integer.parseInt(facts.get(key + "port")),
                    io.uplift.db.OsUser.serverUser().name()));
        }
        DurableFiles.replaceKeepingOwner(c.home().resolve(DatabaseSettings.FILE), oldSettings);
        record(c, decode(facts.get(key + "old-managed")));
        new ProductDatabase(Installation.open(c.home())).ensureRunning();
        DatabaseRelocation.withdraw(DatabaseRelocation.parse(oldSettings), DatabaseRelocation.parse(oldSettings)); // an old server that was stopped above
        FileTrees.delete(dataDir(c, major));
        FileTrees.delete(dataDir(c, major).resolveSibling(dataDir(c, major).getFileName() + ".run"));
        Files.deleteIfExists(dataDir(c, major).resolveSibling(dataDir(c, major).getFileName() + ".log"));
        Files.deleteIfExists(superuserPasswordFile(c, major));
        // The old server holds the data as it was before this hop: earlier migrations may need restoring again.
        c.journal().databaseRestored(false);
    }

    /** Whether the hop's move step ran: then undoing the hop's migrations is the move's undo (the new server goes). */
    static boolean ranInHop(StepContext c) {
        String id = c.hop().to() + "/move-database";
        return c.journal().get().steps().stream().filter(s -> s.id().equals(id)).map(JournalStep::status)
                .anyMatch(s -> s != StepStatus.PENDING && s != StepStatus.UNDONE);
    }

    private static int targetMajor(StepContext c) {
        Release r = c.release();
        return r.prerequisites().moveDatabaseTo().orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "Release " + r.version() + " has no move-database-to, yet the plan moves its database."));
    }

    private static Path oldSettingsCopy(StepContext c) {
        return c.home().resolve(".uplift").resolve(LEFTOVERS).resolve("database-before-" + c.hop().to() + ".properties");
    }

    /** The managed server's superuser password, beside its data folder; it stays while the server does. */
    static Path superuserPasswordFile(StepContext c, int major) {
        return dataDir(c, major).resolveSibling("pg" + major + ".superuser-password");
    }

    private static Path dataDir(StepContext c, int major) {
        return c.home().resolve("db").resolve("pg" + major);
    }

    private static void record(StepContext c, ManagedDatabase managed) {
        InstallationState s = c.installation().state();
        Installation.record(c.home(), new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), s.nodeLocalFiles(),
                managed, s.pendingTasks()));
    }

    private static String encode(ManagedDatabase m) {
        return m == null ? "none" : m.major() + "|" + m.dataDir() + "|" + m.port() + "|" + m.osUser();
    }

    private static ManagedDatabase decode(String s) {
        if (s == null || s.equals("none")) {
            return null;
        }
        String[] p = s.split("\\|", 4);
        return new ManagedDatabase(Integer.parseInt(p[0]), p[1], Integer.parseInt(p[2]), p[3]);
    }

    private static MoveListener listener(StepContext c) {
        // One bar for the whole copy: the move asks for it at every report, and a new bar would restart its rate and ETA.
        io.uplift.api.ProgressListener bar = c.listener().progress(c.step());
        return new MoveListener() {
            @Override
            public void phase(String text) {
                c.listener().message(text);
            }

            @Override
            public void tableCopied(String table, long rows, long bytes, java.time.Duration took) {
                c.listener().message(String.format("%s: %,d rows, %,d MB copied", table, rows, bytes / (1024 * 1024)));
            }

            @Override
            public io.uplift.api.ProgressListener bytes() {
                return bar;
            }
        };
    }
}
