package io.uplift.api;

import java.util.List;

/**
 * Complete lines of the upgrade log from a cursor on (a line still being written is left for the next
 * read), and the cursor to ask from next time ({@code next}; equal to the one asked when nothing new).
 */
public record UpgradeLog(List<LogLine> lines, long next) {
    public UpgradeLog {
        lines = List.copyOf(lines);
    }
}
