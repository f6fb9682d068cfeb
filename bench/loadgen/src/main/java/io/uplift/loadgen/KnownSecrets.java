package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The secret ids the reads pick from: those this run wrote (with their content, so a read checks it)
 * and those the listings showed. Also the acknowledged writes the check reads back at the end.
 */
public final class KnownSecrets {
    private final List<Long> readableIds = new ArrayList<>();
    private final Set<Long> seenIds = new HashSet<>();
    private final Map<Long, AcknowledgedSecret> written = new HashMap<>();
    private final List<AcknowledgedSecret> acknowledged = new ArrayList<>();
    private long acknowledgedEvents;

    public synchronized void acknowledged(AcknowledgedSecret secret) {
        acknowledged.add(secret);
        written.put(secret.id(), secret);
        listed(secret.id());
    }

    public synchronized void acknowledgedEvent() {
        acknowledgedEvents++;
    }

    public synchronized void listed(long id) {
        if (seenIds.add(id)) {
            readableIds.add(id);
        }
    }

    /** @param random in [0, 1) */
    public synchronized OptionalLong pick(double random) {
        if (readableIds.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(readableIds.get((int) (random * readableIds.size())));
    }

    /** The content this run wrote under that id, or null when the id came from a listing. */
    public synchronized AcknowledgedSecret writtenAs(long id) {
        return written.get(id);
    }

    public synchronized List<AcknowledgedSecret> acknowledgedSecrets() {
        return List.copyOf(acknowledged);
    }

    public synchronized long acknowledgedEvents() {
        return acknowledgedEvents;
    }
}
