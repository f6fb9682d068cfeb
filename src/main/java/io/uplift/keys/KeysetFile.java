package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.db.MaintenanceWriter;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one way a key rotation or retirement replaces the installation's keyset file, so that what
 * must follow every change of the keyset happens in one place.
 */
public final class KeysetFile {
    public static final String PATH = "config/keyset.json";

    private KeysetFile() {}

    public static Path of(Path home) {
        return home.resolve(PATH);
    }

    /** Replaces the keyset atomically, sealed with {@code seal} (the one it was opened with), then {@link #changed}. */
    public static void replace(Path home, InstallationKeyset keyset, KeysetSeal seal) {
        KeysetStore.of(of(home)).write(keyset, seal);
        changed(home, keyset);
    }

    /**
     * Puts back a keyset file byte for byte (the upgrade's undo), then records its fingerprint in the
     * database unless told the database came back from a backup (which holds the matching record).
     */
    public static void restore(Path home, byte[] content, boolean recordInDatabase) throws IOException {
        DurableFiles.replaceKeepingOwner(of(home), content);
        if (recordInDatabase) {
            changed(home, KeysetStore.of(of(home)).open(KeyEnvironment.system()).keyset());
        }
    }

    /** Called once after each new keyset is written (rotation, resume, retirement, the upgrade's undo). */
    static void changed(Path home, InstallationKeyset keyset) {
        recordInDatabase(home, keyset);
    }

    /**
     * Records the keyset's fingerprint in the product database ({@link KeysetRecord}), so that every
     * node can tell whether its keyset is the database's. Idempotent. The session may write even in
     * the upgrade's maintenance mode (which makes the database read-only for the product).
     */
    public static void recordInDatabase(Path home, InstallationKeyset keyset) {
        DatabaseSettings db = Installation.open(home).databaseSettings();
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            MaintenanceWriter.declare(conn);
            KeysetRecord.write(conn, keyset.fingerprint(), keyset.primaryKeyId(), home);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The new keyset is in " + of(home) + " but its fingerprint could not be"
                    + " recorded in the database " + db.url() + ": " + e.getMessage() + ". Make the database reachable and run the same"
                    + " command again; it records it then.", e);
        }
    }

    /**
     * Outside an upgrade, Uplift records the keyset's new hash in state.json itself, so that
     * 'status' and 'check' do not report the file as changed by someone. Only when the recorded
     * hash was that of the keyset Uplift replaced: a change made by someone else stays visible.
     * (Inside an upgrade the version step records every node-local file, and rollback restores.)
     */
    public static void recordHash(Path home, Optional<String> hashBefore) {
        Installation inst = Installation.open(home);
        InstallationState s = inst.state();
        String recorded = s.nodeLocalFiles().get(PATH);
        if (recorded == null || hashBefore.isEmpty() || !recorded.equals(hashBefore.get())) {
            return;
        }
        Map<String, String> files = new HashMap<>(s.nodeLocalFiles());
        NodeLocalFiles.sha256(of(home)).ifPresent(h -> files.put(PATH, h));
        Installation.record(home, new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), files,
                s.managedDatabase(), s.pendingTasks()));
    }
}
