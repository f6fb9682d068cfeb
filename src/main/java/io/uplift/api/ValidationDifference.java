package io.uplift.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

/**
 * One difference validation found between source and target, kept as a value until it is printed
 * or reported ({@link #text()}). Differences sort as their printed lines do, so a report lists
 * them in the same order as before they were values.
 */
public sealed interface ValidationDifference extends Comparable<ValidationDifference> {
    /** The line printed for this difference. */
    String text();

    @Override
    default int compareTo(ValidationDifference other) {
        return text().compareTo(other.text());
    }

    /** Every difference's line, in the order given. */
    static List<String> texts(Collection<? extends ValidationDifference> differences) {
        return differences.stream().map(ValidationDifference::text).toList();
    }

    /**
     * Rows that differ: a chunk (by its id) or a table read back whole (by its label and how it
     * was cut), with the figures each side computed.
     */
    record Rows(String unit, RowFigures source, RowFigures target) implements ValidationDifference {
        @Override
        public String text() {
            return unit + ": source " + source.rows() + " rows (checksum " + source.sum() + "), target " + target.rows()
                    + " rows (checksum " + target.sum() + ")";
        }
    }

    /** A schema object (a line of the schema fingerprint) found on one side only. */
    record Schema(boolean onlyInSource, String object) implements ValidationDifference {
        @Override
        public String text() {
            return "schema " + (onlyInSource ? "- " : "+ ") + object;
        }

        /** The objects only in the source, then those only in the target. */
        public static List<Schema> between(SortedSet<String> source, SortedSet<String> target) {
            List<Schema> out = new ArrayList<>();
            source.stream().filter(l -> !target.contains(l)).forEach(l -> out.add(new Schema(true, l)));
            target.stream().filter(l -> !source.contains(l)).forEach(l -> out.add(new Schema(false, l)));
            return out;
        }
    }
}
