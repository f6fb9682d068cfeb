package io.uplift.api;

import java.time.Duration;
import java.util.List;

/**
 * What a move did. {@code found} is empty when validation passed (or did not run: {@code validated}
 * says which); {@link #differences()} renders each difference as the line that is printed.
 */
public record MoveResult(int tables, int chunks, int chunksSkipped, long rows, long bytes, int sequences, long largeObjects,
        boolean validated, List<ValidationDifference> found, Duration took) {
    public MoveResult {
        found = List.copyOf(found);
    }

    /** Each difference as the line printed and reported. */
    public List<String> differences() {
        return ValidationDifference.texts(found);
    }
}
