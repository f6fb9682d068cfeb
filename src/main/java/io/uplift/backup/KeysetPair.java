package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.keys.KeysetRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The keyset a backup carries and the fingerprint its database recorded, both read without the
 * master key (the file's header, the table uplift_keyset). A backup whose two disagree would
 * restore a database its keyset cannot decrypt, so none is written.
 */
record KeysetPair(Optional<String> file, Optional<String> database) {
    static KeysetPair of(Path home, DatabaseSettings db) {
        Path keyset = home.resolve(KeysetConsistency.KEYSET);
        Optional<String> file = KeysetEnvelope.fingerprintOf(keyset);
        Optional<KeysetRecord> recorded;
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            recorded = KeysetRecord.read(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the keyset fingerprint from the database " + db.url()
                    + ": " + e.getMessage() + ". Nothing was written; make the database reachable and run the backup again.", e);
        }
        if (file.isPresent() && recorded.isPresent() && !file.get().equals(recorded.get().fingerprint())) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, KeysetConsistency.mismatch(keyset, recorded.get())
                    + " No backup was written: it would pair a database with a keyset that cannot decrypt it.");
        }
        return new KeysetPair(file, recorded.map(KeysetRecord::fingerprint));
    }
}
