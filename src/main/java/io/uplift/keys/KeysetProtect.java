package io.uplift.keys;

import io.uplift.api.ErrorCode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeysetProtection;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * 'uplift keys protect' for one home: seals its keyset with another master key source (or for the
 * first time, see {@link KeysetResealing}) under the home lock. The database must record this
 * keyset's fingerprint or none (then it is recorded): a keyset of another installation is refused
 * before anything is written.
 */
final class KeysetProtect {
    private final Path home;
    private final KeyLocks locks;

    KeysetProtect(Path home, KeyLocks locks) {
        this.home = home;
        this.locks = locks;
    }

    KeysetProtection run(MasterKeySource target, KeyEnvironment env) {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        DatabaseSettings db = inst.databaseSettings();
        try (KeyLocks.Held lock = locks.change(inst, "uplift keys protect");
             Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            Path file = home.resolve(KeysetConsistency.KEYSET);
            Optional<KeysetRecord> recorded = KeysetRecord.read(conn);
            KeysetResealing.Found current = KeysetResealing.find(file, env);
            if (recorded.isPresent() && !recorded.get().fingerprint().equals(current.keyset().fingerprint())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, KeysetConsistency.mismatchOf(file, current.keyset(),
                        current.source(), recorded.get()) + " Nothing was changed.");
            }
            InstallationKeyset sealed = KeysetResealing.reseal(file, target, env).keyset();
            recordNodeLocalHashes(inst);
            if (recorded.isEmpty()) {
                KeysetRecord.write(conn, sealed.fingerprint(), sealed.primaryKeyId(), home);
            }
            return new KeysetProtection(file, sealed.fingerprint(), sealed.primaryKeyId(), recorded.isEmpty());
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read or record the keyset fingerprint in the database: "
                    + e.getMessage() + ". Nothing was changed.", e);
        }
    }

    /** Uplift's own change: the recorded hash of the node-local file follows, so the next check does not flag it. */
    private void recordNodeLocalHashes(Installation inst) {
        InstallationState s = inst.state();
        if (s.nodeLocalFiles().containsKey(KeysetConsistency.KEYSET)) {
            Installation.record(home, new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(),
                    NodeLocalFiles.fingerprint(home, List.copyOf(s.nodeLocalFiles().keySet())), s.managedDatabase(), s.pendingTasks()));
        }
    }
}
