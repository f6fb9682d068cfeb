package io.uplift.api;

import java.util.List;

/**
 * What 'uplift keys retire' did.
 *
 * @param disabled keys now disabled in the keyset (they no longer decrypt)
 * @param waiting  keys still in their grace, with its end, left as they are
 */
public record KeyRetirementResult(List<Long> disabled, List<KeyRotationResult.RetiringKey> waiting) {
    public KeyRetirementResult {
        disabled = List.copyOf(disabled);
        waiting = List.copyOf(waiting);
    }
}
