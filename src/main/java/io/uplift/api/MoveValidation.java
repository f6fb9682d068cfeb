package io.uplift.api;

import java.util.List;

/** What 'uplift db move --validate' found: the differences between source and target, none when it passed. */
public record MoveValidation(List<String> differences) {
    public MoveValidation {
        differences = List.copyOf(differences);
    }

    public boolean passed() {
        return differences.isEmpty();
    }
}
