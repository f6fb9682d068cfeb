package io.uplift.api;

import java.time.Duration;
import java.util.List;

/**
 * What a move did. {@code differences} is empty when validation passed (or did not run:
 * {@code validated} says which).
 */
public record MoveResult(int tables, int chunks, int chunksSkipped, long rows, long bytes, int sequences, long largeObjects,
        boolean validated, List<String> differences, Duration took) {
    public MoveResult {
        differences = List.copyOf(differences);
    }
}
