package io.uplift.api;

import java.time.Duration;
import java.util.List;

/**
 * What a move did. {@code found} is empty when validation passed (or did not run: {@code validated}
 * says which); {@link #differences()} renders each difference as the line that is printed.
 * {@code counted}: the tables whose target side was checked by the new server's count of their rows,
 * their transactions and jsonb hashes instead of being read back (a server the move created).
 */
public record MoveResult(int tables, int chunks, int chunksSkipped, long rows, long bytes, int sequences, long largeObjects,
        boolean validated, List<ValidationDifference> found, List<String> counted, Duration took) {
    /** The line that says validation passed where every table was read back on both sides (and for {@code --validate}). */
    public static final String PASSED = "Validation passed: every chunk's row count and checksum, and the schema, are equal on both sides.";

    public MoveResult {
        found = List.copyOf(found);
        counted = List.copyOf(counted);
    }

    /** The line that says validation passed, naming the tables that were counted on the target rather than read back. */
    public String passed() {
        if (counted.isEmpty()) {
            return PASSED;
        }
        return "Validation passed: the schema, and every chunk's row count and checksum as sent, are equal on both sides; "
                + String.join(", ", counted) + (counted.size() == 1 ? " was" : " were") + " checked on the new server by"
                + " counting its rows, their transactions and jsonb hashes, not read back.";
    }

    /** Each difference as the line printed and reported. */
    public List<String> differences() {
        return ValidationDifference.texts(found);
    }
}
