package io.uplift.api;

import java.util.List;

/**
 * What 'uplift keys rotate' did.
 *
 * @param resumed      whether it went on with a rotation a kill or failure had interrupted
 * @param reencrypted  values rewritten under the new key by this run
 * @param verified     values read and checked afterwards: all under the new key and decrypting
 * @param retiring     the old keys, which still decrypt until the end of their grace
 */
public record KeyRotationResult(long newPrimaryKeyId, long previousPrimaryKeyId, boolean resumed, long reencrypted, long verified,
        List<RetiringKey> retiring, long millis) {
    public record RetiringKey(long keyId, String until) {}

    public KeyRotationResult {
        retiring = List.copyOf(retiring);
    }
}
