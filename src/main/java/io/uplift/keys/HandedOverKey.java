package io.uplift.keys;

import io.uplift.api.ErrorCode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeyRotationRequest;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.install.NodeLocalFiles;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One node's side of a cluster key rotation, on its own keyset file (sealed as this node seals it):
 * {@link #add} puts the key another node's rotation made into this keyset as primary and proves that
 * it decrypts every stored value; {@link #retire} disables the old keys once every node did so. Both
 * can be run again after a kill at any point: they look at the keyset first and redo only what is
 * missing. The caller holds this home's change lock.
 */
public final class HandedOverKey {
    private final Path home;
    private final List<EncryptedColumn> columns;
    private final Connections connections;

    public HandedOverKey(Path home, List<EncryptedColumn> columns, Connections connections) {
        this.home = home;
        this.columns = columns;
        this.connections = connections;
    }

    /** The copy of this node's keyset from before the handover, kept until the old keys retire. */
    public static Path keptKeyset(Path home, long upgradeId) {
        return home.resolve(".uplift/keys").resolve("keyset-before-handover-" + upgradeId + ".json");
    }

    /**
     * Adds the parcel's key as primary (unless this keyset has it already), then decrypts every value
     * of every encrypted column with this node's keyset and checks each is under the new key. Every
     * value, not a sample: the primary re-encrypted them all, and what this proves is that this node's
     * keyset reads what the primary wrote, which one unreadable row would disprove.
     */
    public String add(KeyHandover.Parcel parcel) {
        SealedKeyset opened = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system());
        InstallationKeyset keyset = opened.keyset();
        String added;
        if (keyset.primaryKeyId() == parcel.keyId()) {
            if (!keyset.fingerprint().equals(parcel.fingerprintAfter()) && !keyset.fingerprint().equals(parcel.fingerprintRetired())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, KeysetFile.of(home) + " has key " + parcel.keyId() + " as primary but"
                        + " is keyset " + KeysetFingerprint.short12(keyset.fingerprint()) + ", not the cluster's "
                        + KeysetFingerprint.short12(parcel.fingerprintAfter()) + ": it was changed by hand since. Put back "
                        + keptKeyset(home, parcel.upgradeId()) + " as config/keyset.json, then restart this node's agent.");
            }
            added = "key " + parcel.keyId() + " was already primary";
        } else {
            InstallationKeyset next = KeyHandover.unwrap(keyset, parcel);
            keep(parcel.upgradeId());
            var hashBefore = NodeLocalFiles.sha256(KeysetFile.of(home));
            KeysetFile.replace(home, next, opened.seal());
            KeysetFile.recordHash(home, hashBefore);
            keyset = next;
            added = "key " + parcel.keyId() + " added as primary";
        }
        Verification v;
        try {
            v = new Reencryption(connections, columns, keyset.aead(), keyset.primaryKeyId(), KeyRotationRequest.defaultThreads(),
                    KeyRotationRequest.DEFAULT_BATCH_ROWS).verify(ProgressListener.NONE);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Key " + parcel.keyId() + " is in " + KeysetFile.of(home)
                    + " but the values could not be read to prove it decrypts them: " + e.getMessage() + ". Make the database reachable;"
                    + " the agent tries again when the order is handed to it again.", e);
        }
        if (!v.passed()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "With key " + parcel.keyId() + ", this node's keyset found "
                    + v.problems() + ". The old keys stay enabled everywhere; the cluster upgrade stops here (see 'uplift cluster status').");
        }
        return added + "; " + String.format("%,d", v.checked()) + " values decrypted with this node's keyset";
    }

    /**
     * Disables the parcel's retiring keys in this keyset, after counting that no stored value is
     * under any of them; then forgets them in the rotation state and drops the kept copy of the old keyset.
     */
    public String retire(KeyHandover.Parcel parcel) {
        SealedKeyset opened = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system());
        InstallationKeyset keyset = opened.keyset();
        if (keyset.primaryKeyId() != parcel.keyId()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot retire the old keys: " + KeysetFile.of(home) + " has key "
                    + keyset.primaryKeyId() + " as primary, not the cluster's new key " + parcel.keyId() + ". Nothing was changed.");
        }
        List<Long> enabled = KeysetEntries.enabledNonPrimary(keyset);
        List<Long> due = parcel.retiringKeyIds().stream().filter(enabled::contains).toList();
        String what;
        if (due.isEmpty()) {
            what = "old keys " + parcel.retiringKeyIds() + " were already disabled";
        } else {
            refuseKeysInUse(due);
            var hashBefore = NodeLocalFiles.sha256(KeysetFile.of(home));
            KeysetFile.replace(home, keyset.withDisabled(due), opened.seal());
            KeysetFile.recordHash(home, hashBefore);
            what = "old keys " + due + " disabled";
        }
        RotationState state = RotationState.read(home);
        if (state.retiring().stream().anyMatch(r -> parcel.retiringKeyIds().contains(r.keyId()))) {
            state.withoutRetiring(parcel.retiringKeyIds()).write(home);
        }
        try {
            Files.deleteIfExists(keptKeyset(home, parcel.upgradeId()));
        } catch (IOException e) {
            what += " (the copy " + keptKeyset(home, parcel.upgradeId()) + " could not be deleted: " + e.getMessage() + "; delete it)";
        }
        return what;
    }

    private void keep(long upgradeId) {
        Path kept = keptKeyset(home, upgradeId);
        if (Files.exists(kept)) {
            return; // the first run's copy is the one from before the handover
        }
        try {
            DurableFiles.write(kept, Files.readAllBytes(KeysetFile.of(home)));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot keep a copy of " + KeysetFile.of(home) + " in " + kept
                    + " before adding the new key: " + e.getMessage() + ". Check that .uplift/keys is writable; nothing was changed.", e);
        }
    }

    private void refuseKeysInUse(List<Long> due) {
        List<String> inUse;
        try (Connection conn = connections.open()) {
            inUse = KeyUsage.stillEncrypting(conn, columns, due, 0);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot count the values under the old keys: " + e.getMessage()
                    + ". Nothing was changed; the agent tries again when the order is handed to it again.", e);
        }
        if (!inUse.isEmpty()) {
            throw new UpliftException(ErrorCode.KEY_IN_USE, "Cannot retire the old keys: " + String.join("; ", inUse) + " (written after"
                    + " the re-encryption by a node still on the old key?). Run 'uplift keys rotate' on the primary to re-encrypt them."
                    + " Nothing was changed.");
        }
    }
}
