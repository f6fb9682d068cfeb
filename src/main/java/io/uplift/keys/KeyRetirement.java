package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationResult.RetiringKey;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.install.NodeLocalFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * 'uplift keys retire': disables the retiring keys whose grace has passed (all of them with
 * {@code now}), but only those no stored value is under. The caller holds the home lock.
 */
public final class KeyRetirement {
    private static final int IDS_SHOWN = 5;

    private final Path home;
    private final List<EncryptedColumn> columns;
    private final Connections connections;
    private final Clock clock;

    public KeyRetirement(Path home, List<EncryptedColumn> columns, Connections connections, Clock clock) {
        this.home = home;
        this.columns = columns;
        this.connections = connections;
        this.clock = clock;
    }

    /** The keys that would be disabled now, without changing anything. */
    public List<Long> due(boolean now) {
        InstallationKeyset keyset = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system()).keyset();
        List<Long> enabled = KeysetEntries.enabledNonPrimary(keyset);
        Instant instant = clock.instant();
        return RotationState.read(home).retiring().stream()
                .filter(r -> enabled.contains(r.keyId()))
                .filter(r -> now || !r.untilInstant().isAfter(instant))
                .map(RotationState.Retiring::keyId).toList();
    }

    public KeyRetirementResult retire(boolean now) {
        RotationState state = RotationState.read(home);
        if (state.inProgress().isPresent()) {
            throw new UpliftException(ErrorCode.KEY_IN_USE, "A key rotation to key " + state.rotation().newPrimaryKeyId()
                    + " is unfinished, so the old keys still encrypt values. Finish it with 'uplift keys rotate' first; nothing was changed.");
        }
        SealedKeyset opened = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system());
        InstallationKeyset keyset = opened.keyset();
        List<Long> enabled = KeysetEntries.enabledNonPrimary(keyset);
        // A key already disabled (a retirement killed after its keyset write) is simply forgotten here.
        List<Long> gone = state.retiring().stream().map(RotationState.Retiring::keyId).filter(id -> !enabled.contains(id)).toList();
        state = state.withoutRetiring(gone);
        List<Long> due = due(now);
        List<RetiringKey> waiting = new ArrayList<>();
        for (RotationState.Retiring r : state.retiring()) {
            if (!due.contains(r.keyId())) {
                waiting.add(new RetiringKey(r.keyId(), r.until()));
            }
        }
        if (due.isEmpty()) {
            if (!gone.isEmpty()) {
                state.write(home);
            }
            return new KeyRetirementResult(List.of(), waiting);
        }
        refuseKeysInUse(due);
        var hashBefore = NodeLocalFiles.sha256(KeysetFile.of(home));
        KeysetFile.replace(home, keyset.withDisabled(due), opened.seal());
        state.withoutRetiring(due).write(home);
        KeysetFile.recordHash(home, hashBefore);
        return new KeyRetirementResult(due, waiting);
    }

    private void refuseKeysInUse(List<Long> due) {
        List<String> inUse;
        try (Connection conn = connections.open()) {
            inUse = KeyUsage.stillEncrypting(conn, columns, due, IDS_SHOWN);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot count the values under the retiring keys: " + e.getMessage()
                    + ". Nothing was changed; check that the database is up and run 'uplift keys retire' again.", e);
        }
        if (!inUse.isEmpty()) {
            throw new UpliftException(ErrorCode.KEY_IN_USE, "Cannot retire: " + String.join("; ", inUse) + ". Disabling the key would make"
                    + " them unreadable. Run 'uplift keys rotate' to re-encrypt them under a new primary key, then retire. Nothing was changed.");
        }
    }
}
