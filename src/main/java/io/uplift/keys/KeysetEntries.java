package io.uplift.keys;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import java.util.ArrayList;
import java.util.List;

/** The keys of a keyset as Tink sees them: id, whether primary, enabled or disabled. */
public final class KeysetEntries {
    public enum TinkStatus { ENABLED, DISABLED, DESTROYED }

    public record Entry(long keyId, boolean primary, TinkStatus status) {}

    private KeysetEntries() {}

    public static List<Entry> of(InstallationKeyset keyset) {
        KeysetHandle handle = keyset.handle();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry e = handle.getAt(i);
            TinkStatus status = e.getStatus().equals(KeyStatus.ENABLED) ? TinkStatus.ENABLED
                    : e.getStatus().equals(KeyStatus.DISABLED) ? TinkStatus.DISABLED : TinkStatus.DESTROYED;
            entries.add(new Entry(Integer.toUnsignedLong(e.getId()), e.isPrimary(), status));
        }
        return entries;
    }

    /** Ids of the keys that still decrypt and are not the primary. */
    public static List<Long> enabledNonPrimary(InstallationKeyset keyset) {
        return of(keyset).stream().filter(e -> !e.primary() && e.status() == TinkStatus.ENABLED).map(Entry::keyId).toList();
    }

    public static boolean contains(InstallationKeyset keyset, long keyId) {
        return of(keyset).stream().anyMatch(e -> e.keyId() == keyId);
    }
}
