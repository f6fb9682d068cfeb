package io.uplift.catalog;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while loading a catalog, so the vendor sees all of them in one go
 * instead of fixing one, reloading and meeting the next.
 */
final class Problems {
    record Problem(Path file, int line, String field, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
        }
    }

    private final List<Problem> problems = new ArrayList<>();

    void add(Path file, int line, String field, String message) {
        problems.add(new Problem(file, line, field, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<Problem> all() {
        return List.copyOf(problems);
    }

    void throwIfAny(Path catalogDir) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("The release catalog in " + catalogDir + " has "
                + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; fix " + (problems.size() == 1 ? "it" : "them") + " and run the command again:");
        for (Problem p : problems) {
            text.append("\n  ").append(p);
        }
        throw new UpliftException(ErrorCode.CATALOG_INVALID, text.toString());
    }
}
