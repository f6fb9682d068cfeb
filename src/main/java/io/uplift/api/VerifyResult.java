package io.uplift.api;

import java.util.List;

/** The outcome of checking a backup against its manifest: fine, or each problem found. */
public record VerifyResult(String id, int filesChecked, long bytesChecked, List<Problem> problems) {
    public enum Kind { MISSING, WRONG_TYPE, SIZE_MISMATCH, CHECKSUM_MISMATCH, LINK_MISMATCH, UNEXPECTED, DUMP_UNREADABLE, MANIFEST_UNREADABLE, KEYSET_MISMATCH,
        DATABASE_UNUSABLE, ROW_COUNT_MISMATCH }

    /** One problem, for one path of the backup folder ("app/bin/lockbox", "database.dump"). */
    public record Problem(String path, Kind kind, String detail) {
        @Override
        public String toString() {
            return path + ": " + kind.name().toLowerCase().replace('_', ' ') + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    public VerifyResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
