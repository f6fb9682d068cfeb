package io.uplift.api;

import java.util.List;
import java.util.Map;

/**
 * What 'uplift keys status' reports. Shape of its --json output: see docs/json.md, "keys --json".
 *
 * @param rotation "none", or what an unfinished rotation left (resumed by 'uplift keys rotate')
 * @param keys     every key of the keyset, primary first
 * @param columns  every encrypted column of the installed release, with its values per key
 */
public record KeysStatus(String home, long primaryKeyId, String rotation, List<Key> keys, List<Column> columns) {
    /**
     * @param status        primary, enabled, retiring, disabled or destroyed
     * @param retiringUntil the end of a retiring key's grace (ISO-8601), else ""
     * @param values        values under this key, per column ("table.column")
     */
    public record Key(long keyId, String status, String retiringUntil, Map<String, Long> values) {
        public Key {
            values = Map.copyOf(values);
        }
    }

    /** @param unknownKey values under a key id the keyset does not hold (they cannot be decrypted) */
    public record Column(String column, long values, long unknownKey) {}

    public KeysStatus {
        keys = List.copyOf(keys);
        columns = List.copyOf(columns);
    }
}
