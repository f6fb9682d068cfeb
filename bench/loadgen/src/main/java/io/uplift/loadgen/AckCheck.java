package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.List;

/** Adds up the read-backs of acknowledged secrets into an {@link AckCheckResult}. Pure. */
public final class AckCheck {
    static final int IDS_SHOWN = 20;

    private long acknowledged;
    private long verified;
    private final List<Long> missing = new ArrayList<>();
    private final List<Long> different = new ArrayList<>();
    private final List<Long> unreachable = new ArrayList<>();

    public void add(AcknowledgedSecret secret, ReadBack readBack) {
        acknowledged++;
        if (readBack instanceof ReadBack.Found found) {
            if (found.name().equals(secret.name()) && found.value().equals(secret.value())) {
                verified++;
            } else {
                different.add(secret.id());
            }
        } else if (readBack instanceof ReadBack.Missing) {
            missing.add(secret.id());
        } else {
            unreachable.add(secret.id());
        }
    }

    public AckCheckResult result() {
        return new AckCheckResult(acknowledged, verified, missing.size(), different.size(), unreachable.size(),
                firstFew(missing), firstFew(different), firstFew(unreachable));
    }

    private static List<Long> firstFew(List<Long> ids) {
        return ids.subList(0, Math.min(IDS_SHOWN, ids.size()));
    }
}
