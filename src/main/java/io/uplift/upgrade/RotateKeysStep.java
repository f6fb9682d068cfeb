package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.api.ProgressListener;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.Grace;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeysetEntries;
import io.uplift.keys.KeysetFile;
import io.uplift.keys.Reencryption;
import io.uplift.keys.RotatableColumns;
import io.uplift.keys.RotationState;
import io.uplift.keys.UndecryptableValueException;
import io.uplift.keys.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The key rotation a release requires: a new key becomes primary (the old one stays, so every
 * ciphertext keeps decrypting while the product reads), then every encrypted column is
 * re-encrypted by {@link Reencryption} (batches of rows, each one transaction). Rows already under
 * the new key are skipped, which makes a resumed rotation carry on where it stopped. Verified, the
 * old keys start their grace (retiring, .uplift/key-rotation.json) like after 'uplift keys rotate'.
 * The keyset (the sealed file, copied byte for byte) and the rotation state as they were are kept
 * in .uplift/keys/ until the upgrade ends, for undo. The new keyset's fingerprint is recorded in the
 * database (uplift_keyset) right after the file is written, before any value is re-encrypted.
 */
final class RotateKeysStep implements UpgradeStep {
    private static final String ABSENT = "absent\n";

    @Override
    public void apply(StepContext c) throws Exception {
        Path keysetFile = KeysetFile.of(c.home());
        Path before = before(c);
        if (!Files.exists(before)) {
            Path state = RotationState.file(c.home());
            DurableFiles.write(stateBefore(c), Files.exists(state) ? Files.readAllBytes(state) : ABSENT.getBytes());
            DurableFiles.write(before, Files.readAllBytes(keysetFile));
        }
        List<EncryptedColumn> columns = columns(c);
        InstallationKeyset keyset = InstallationKeyset.load(keysetFile);
        if (keyset.primaryKeyId() == InstallationKeyset.load(before).primaryKeyId()) {
            keyset = keyset.withNewPrimary();
            KeysetFile.replace(c.home(), keyset);
            c.listener().message("new primary key " + keyset.primaryKeyId() + " added; the old key stays for reading");
        }
        // Recorded before any value is re-encrypted; again on a resume (a kill between the file and the record), which changes nothing.
        KeysetFile.recordInDatabase(c.home(), keyset);
        long done;
        try {
            done = engine(c, columns, keyset).run(c.listener().progress(c.step()));
        } catch (UndecryptableValueException e) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, e.getMessage() + " (config/keyset.json): the value was damaged or written"
                    + " with another keyset. Restore it (or run 'uplift rollback'), then 'uplift resume'.", e);
        }
        c.listener().message(String.format("%,d values re-encrypted", done));
    }

    @Override
    public void verify(StepContext c) throws Exception {
        InstallationKeyset keyset = InstallationKeyset.load(KeysetFile.of(c.home()));
        Verification v = engine(c, columns(c), keyset).verify(ProgressListener.NONE);
        if (!v.passed()) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The key rotation's verification found " + v.problems()
                    + "; run 'uplift resume' to finish the rotation, or 'uplift rollback' to restore the database and keyset.");
        }
        // Verified: the old keys start their grace. Written on each verify (idempotent), restored by undo.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        RotationState state = RotationState.read(c.home());
        List<Long> old = KeysetEntries.enabledNonPrimary(keyset);
        if (!old.stream().allMatch(id -> state.retiring(id).isPresent())) {
            state.finished(old, now, now.plus(Grace.DEFAULT)).write(c.home());
        }
    }

    @Override
    public void undo(StepContext c) throws Exception {
        // The database comes back with the migrations' undo (restore) or the move's (old server);
        // the keyset and the rotation state come back here, byte for byte.
        Path before = before(c);
        if (Files.exists(before)) {
            Path stateBefore = stateBefore(c);
            if (Files.exists(stateBefore)) {
                byte[] state = Files.readAllBytes(stateBefore);
                if (new String(state).equals(ABSENT)) {
                    Files.deleteIfExists(RotationState.file(c.home()));
                } else {
                    DurableFiles.write(RotationState.file(c.home()), state);
                }
                Files.delete(stateBefore);
            }
            // A database restored from the backup already holds the old keyset's record; else it goes back with the file.
            KeysetFile.restore(c.home(), Files.readAllBytes(before), !c.journal().get().databaseRestored());
            Files.delete(before);
        }
    }

    /** Every column needs a key-id column; a release may list none (then only the keyset changes). */
    private static List<EncryptedColumn> columns(StepContext c) {
        return c.release().encryptedColumns().isEmpty() ? List.of() : RotatableColumns.of(c.release());
    }

    private static Reencryption engine(StepContext c, List<EncryptedColumn> columns, InstallationKeyset keyset) {
        return new Reencryption(() -> UpgradeDatabase.connect(c.database()), columns, keyset.aead(), keyset.primaryKeyId(),
                Reencryption.defaultThreads(), Reencryption.DEFAULT_BATCH_ROWS);
    }

    private static Path before(StepContext c) {
        return c.home().resolve(".uplift/keys").resolve("keyset-before-" + c.hop().to() + ".json");
    }

    private static Path stateBefore(StepContext c) {
        return c.home().resolve(".uplift/keys").resolve("rotation-before-" + c.hop().to() + ".json");
    }
}
