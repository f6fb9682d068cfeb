package io.uplift.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * What the verification after a re-encryption found.
 *
 * @param checked         values read
 * @param notUnderPrimary values whose key-id column or ciphertext prefix names another key
 * @param undecryptable   values under the primary that do not decrypt
 * @param examples        up to {@link Builder#EXAMPLES} of the faulty values, "table.column row ID: what"
 */
public record Verification(long primaryKeyId, long checked, long notUnderPrimary, long undecryptable, List<String> examples) {
    public Verification {
        examples = List.copyOf(examples);
    }

    public boolean passed() {
        return notUnderPrimary == 0 && undecryptable == 0;
    }

    /** "3 values not under key N, 1 value that does not decrypt (secrets.value row 17: ...)" for messages. */
    public String problems() {
        List<String> parts = new ArrayList<>();
        if (notUnderPrimary > 0) {
            parts.add(String.format("%,d values not under the primary key %d", notUnderPrimary, primaryKeyId));
        }
        if (undecryptable > 0) {
            parts.add(String.format("%,d values that do not decrypt", undecryptable));
        }
        return String.join(", ", parts) + (examples.isEmpty() ? "" : " (" + String.join("; ", examples) + ")");
    }

    /** Collects the findings of all verifier threads. */
    static final class Builder {
        static final int EXAMPLES = 5;

        private long checked;
        private long notUnderPrimary;
        private long undecryptable;
        private final List<String> examples = new ArrayList<>();

        synchronized void checked(long n) {
            checked += n;
        }

        synchronized void notUnderPrimary(String column, long id, String what) {
            notUnderPrimary++;
            example(column + " row " + id + ": " + what);
        }

        synchronized void undecryptable(String column, long id) {
            undecryptable++;
            example(column + " row " + id + ": does not decrypt");
        }

        private void example(String text) {
            if (examples.size() < EXAMPLES) {
                examples.add(text);
            }
        }

        synchronized Verification build(long primaryKeyId) {
            return new Verification(primaryKeyId, checked, notUnderPrimary, undecryptable, examples);
        }
    }
}
