package io.uplift.keys;

import io.uplift.api.RotationListener;
import io.uplift.api.Grace;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.install.NodeLocalFiles;
import io.uplift.keys.RotationState.Rotation;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * 'uplift keys rotate': add a key and make it primary, re-encrypt every value under it, verify,
 * then start the old keys' grace. The caller holds the home lock and the database lock.
 *
 * <p>Order, so that a kill at any instant is resumed by running it again: (1) the rotation state
 * names the new key; (2) the keyset with the new primary replaces the old one atomically; (3) the
 * values are re-encrypted (each batch commits on its own; rows under the new key are done); (4)
 * the verification; (5) the state lists the old keys as retiring. A run finding (1) done but not
 * (2) starts over with a fresh key (no value was touched yet); finding (2) done, it goes on with
 * that key and never adds another.
 */
public final class KeyRotation {
    private final Path home;
    private final List<EncryptedColumn> columns;
    private final Connections connections;
    private final Clock clock;
    private final int threads;
    private final int batchRows;

    public KeyRotation(Path home, List<EncryptedColumn> columns, Connections connections, Clock clock, int threads, int batchRows) {
        this.home = home;
        this.columns = columns;
        this.connections = connections;
        this.clock = clock;
        this.threads = threads;
        this.batchRows = batchRows;
    }

    public KeyRotationResult rotate(Optional<Duration> grace, RotationListener listener) {
        long start = System.nanoTime();
        RotationState state = RotationState.read(home);
        SealedKeyset opened = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system());
        InstallationKeyset keyset = opened.keyset();
        Optional<Rotation> open = state.inProgress();
        Rotation rotation;
        boolean resumed = open.isPresent() && keyset.primaryKeyId() == open.get().newPrimaryKeyId();
        if (resumed) {
            rotation = grace.map(g -> open.get().withGrace(g.toString())).orElse(open.get());
            if (!rotation.equals(open.get())) {
                state.withRotation(rotation).write(home);
            }
            listener.message("Resuming the rotation started " + rotation.startedAt() + ": key " + rotation.newPrimaryKeyId()
                    + " is primary, key " + rotation.previousPrimaryKeyId() + " still decrypts.");
        } else {
            if (open.isPresent() && KeysetEntries.contains(keyset, open.get().newPrimaryKeyId())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The unfinished rotation in " + RotationState.file(home)
                        + " made key " + open.get().newPrimaryKeyId() + " primary, but " + KeysetFile.of(home) + " now has key "
                        + keyset.primaryKeyId() + " as primary: someone changed the keyset. Restore the keyset from this node's backup,"
                        + " or make key " + open.get().newPrimaryKeyId() + " primary again, then run 'uplift keys rotate'.");
            }
            // No rotation, or one killed before its keyset was written: no value is under its key, so start afresh.
            InstallationKeyset next = keyset.withNewPrimary();
            rotation = new Rotation(next.primaryKeyId(), keyset.primaryKeyId(), clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                    grace.orElse(Grace.DEFAULT).toString(), NodeLocalFiles.sha256(KeysetFile.of(home)).orElse(""));
            state.withRotation(rotation).write(home);
            KeysetFile.replace(home, next, opened.seal());
            keyset = next;
            listener.message("New primary key " + next.primaryKeyId() + " added to " + KeysetFile.PATH + "; key "
                    + rotation.previousPrimaryKeyId() + " keeps decrypting throughout.");
        }
        Reencryption engine = new Reencryption(connections, columns, keyset.aead(), keyset.primaryKeyId(), threads, batchRows);
        long rewritten;
        Verification verification;
        try {
            rewritten = engine.run(listener.progress("Re-encrypting"));
            verification = engine.verify(listener.progress("Verifying   "));
        } catch (SQLException e) {
            // SQLSTATE 53100: the server could not extend a file of the table (its data folder or tablespace is full).
            String why = "53100".equals(e.getSQLState()) ? "The database server's disk is full, so the re-encryption stopped: "
                    + e.getMessage() + " (make room there: in the server's data folder, or the tablespace of the file named)"
                    : "The re-encryption stopped on a database error: " + e.getMessage();
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, why
                    + ". Every value still decrypts (the keyset holds the old and the new key); fix the cause and run 'uplift keys rotate'"
                    + " again: it goes on with key " + keyset.primaryKeyId() + ".", e);
        } catch (UndecryptableValueException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, e.getMessage() + " in " + KeysetFile.of(home)
                    + ": it was damaged, or written with another installation's keyset. It was left as it is and the rotation stays"
                    + " open; restore that value from a backup (or delete the row), then run 'uplift keys rotate' again.", e);
        }
        if (!verification.passed()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The verification after the re-encryption found "
                    + verification.problems() + ". The rotation stays open and the old keys still decrypt; run 'uplift keys rotate'"
                    + " again to re-encrypt what is not under key " + keyset.primaryKeyId() + ".");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant until = now.plus(Duration.parse(rotation.grace()));
        RotationState done = RotationState.read(home).finished(KeysetEntries.enabledNonPrimary(keyset), now, until);
        done.write(home);
        KeysetFile.recordHash(home, Optional.of(rotation.keysetHashBefore()));
        return new KeyRotationResult(rotation.newPrimaryKeyId(), rotation.previousPrimaryKeyId(), resumed, rewritten, verification.checked(),
                done.retiring().stream().map(r -> new KeyRotationResult.RetiringKey(r.keyId(), r.until())).toList(),
                (System.nanoTime() - start) / 1_000_000);
    }
}
