package io.uplift.demo;

/**
 * Which threats an event is linked to: a pure function of the seed and the event id, so that the
 * number of {@code event_threats} rows is known before loading (for the progress total) and the
 * events table can give linked events a matching kind. About 5% of the events are linked, each to
 * one, two or three distinct threats.
 */
final class ThreatLinks {
    private static final int LINKED_PERCENT = 5;

    private final long seed;
    private final long threats;

    ThreatLinks(long seed, long threats) {
        if (threats < 3) {
            throw new IllegalArgumentException("at least 3 threats are needed, got " + threats);
        }
        this.seed = seed;
        this.threats = threats;
    }

    /** 0 for an event without threats, else 1 to 3. */
    int count(long eventId) {
        long h = hash(eventId);
        if (Long.remainderUnsigned(h, 100) >= LINKED_PERCENT) {
            return 0;
        }
        return 1 + (int) ((h >>> 40) % 3);
    }

    /** The id (1-based) of the {@code index}-th threat of the event; distinct for index 0, 1, 2. */
    long threatId(long eventId, int index) {
        long h = mix(hash(eventId));
        long base = Long.remainderUnsigned(h, threats);
        // A step below threats / 2 keeps the three picks distinct.
        long step = 1 + (h >>> 48) % Math.max(1, Math.min(16, (threats - 1) / 2));
        return 1 + (base + index * step) % threats;
    }

    long total(long events) {
        long total = 0;
        for (long id = 1; id <= events; id++) {
            total += count(id);
        }
        return total;
    }

    private long hash(long eventId) {
        return mix(seed ^ mix(eventId * 0x9E37_79B9_7F4A_7C15L));
    }

    // The SplitMix64 finalizer: a bijective 64-bit mixer.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
