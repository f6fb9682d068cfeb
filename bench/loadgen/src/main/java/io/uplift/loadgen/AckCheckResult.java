package io.uplift.loadgen;

import java.util.List;

/**
 * The acknowledged-write check: of the secrets acknowledged during the run, how many were read back
 * equal (name and value), how many were missing (404), how many differed, and how many could not be
 * read before the deadline. The id lists show the first few of each, for the investigation.
 */
public record AckCheckResult(long acknowledged, long verified, long missing, long different, long unreachable,
                             List<Long> missingIds, List<Long> differentIds, List<Long> unreachableIds) {

    public AckCheckResult {
        missingIds = List.copyOf(missingIds);
        differentIds = List.copyOf(differentIds);
        unreachableIds = List.copyOf(unreachableIds);
    }

    /** True only when every acknowledged write was found equal: a write that could not be read back
     *  before the deadline is not proven kept. */
    public boolean passed() {
        return verified == acknowledged;
    }

    /** Acknowledged writes not proven kept: missing, different or not readable before the deadline. */
    public long lost() {
        return acknowledged - verified;
    }

    public static AckCheckResult none() {
        return new AckCheck().result();
    }
}
