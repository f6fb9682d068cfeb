package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import java.nio.file.Path;

/**
 * Whether the keyset in place can decrypt a backup's database: a restore under the wrong keyset
 * would leave a node that cannot read its own secrets, so it is refused before the database is touched.
 */
final class BackupKeysetMatch {
    private BackupKeysetMatch() {}

    /**
     * The keyset in {@code home} must have the fingerprint the backed-up database recorded (or, for a
     * database that recorded none, the backed-up keyset's). Backups that record neither pass.
     *
     * @param backupFolder the backup's folder, named in the message: it holds the keyset that goes with it
     */
    static void require(String id, BackupManifest m, Path backupFolder, Path home) {
        String expected = m.databaseKeysetFingerprint() != null ? m.databaseKeysetFingerprint() : m.keysetFingerprint();
        if (expected == null) {
            return;
        }
        Path file = home.resolve(KeysetConsistency.KEYSET);
        String found = KeysetEnvelope.fingerprintOf(file).orElse("none (missing or not a sealed keyset)");
        if (!found.equals(expected)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database of backup " + id + " goes with the keyset "
                    + shortFp(expected) + ", but " + file + " is " + shortFp(found) + ": after the restore this node could not decrypt"
                    + " the database's secrets. The database was not touched. Put back the keyset that goes with the backup (it holds"
                    + " one: " + backupFolder.resolve(KeysetConsistency.KEYSET) + ", with the same master key), or, if you know the"
                    + " keyset in place is right, run the rollback again with --accept-keyset-mismatch.");
        }
    }

    /** The first 12 hex digits are enough for an operator to compare; other text is shown whole. */
    static String shortFp(String fp) {
        return fp.length() > 12 && fp.matches("[0-9a-f]+") ? fp.substring(0, 12) : fp;
    }
}
