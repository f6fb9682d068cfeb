package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeysStatus;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.EncryptedColumn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** 'uplift keys status': the keys of the keyset, their state, and how many values each encrypts. Reads only. */
public final class KeyInventory {
    private final Path home;
    private final List<EncryptedColumn> columns;
    private final Connections connections;

    public KeyInventory(Path home, List<EncryptedColumn> columns, Connections connections) {
        this.home = home;
        this.columns = columns.stream().filter(c -> !c.keyIdColumn().isEmpty()).toList();
        this.connections = connections;
    }

    public KeysStatus status() {
        InstallationKeyset keyset = KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system()).keyset();
        RotationState state = RotationState.read(home);
        Map<String, Map<Long, Long>> usage;
        try (Connection conn = connections.open()) {
            usage = KeyUsage.count(conn, columns);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot count the encrypted values per key: " + e.getMessage(), e);
        }
        List<KeysetEntries.Entry> entries = new ArrayList<>(KeysetEntries.of(keyset));
        entries.sort(Comparator.comparing((KeysetEntries.Entry e) -> !e.primary()).thenComparing(KeysetEntries.Entry::keyId));
        List<KeysStatus.Key> keys = new ArrayList<>();
        for (KeysetEntries.Entry e : entries) {
            Optional<RotationState.Retiring> retiring = state.retiring(e.keyId());
            String status = e.primary() ? "primary"
                    : e.status() != KeysetEntries.TinkStatus.ENABLED ? e.status().name().toLowerCase()
                    : retiring.isPresent() ? "retiring" : "enabled";
            Map<String, Long> values = new LinkedHashMap<>();
            usage.forEach((column, perKey) -> values.put(column, perKey.getOrDefault(e.keyId(), 0L)));
            keys.add(new KeysStatus.Key(e.keyId(), status, status.equals("retiring") ? retiring.get().until() : "", values));
        }
        Set<Long> known = entries.stream().map(KeysetEntries.Entry::keyId).collect(Collectors.toSet());
        List<KeysStatus.Column> cols = new ArrayList<>();
        usage.forEach((column, perKey) -> cols.add(new KeysStatus.Column(column, perKey.values().stream().mapToLong(Long::longValue).sum(),
                perKey.entrySet().stream().filter(k -> !known.contains(k.getKey())).mapToLong(Map.Entry::getValue).sum())));
        String rotation = state.inProgress().map(r -> "unfinished: started " + r.startedAt() + ", new primary key " + r.newPrimaryKeyId()
                + "; run 'uplift keys rotate' to finish it").orElse("none");
        return new KeysStatus(home.toString(), keyset.primaryKeyId(), rotation, keys, cols);
    }
}
