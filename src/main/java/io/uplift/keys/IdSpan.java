package io.uplift.keys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The smallest and largest id of the rows to work on, split into contiguous ranges for the workers. */
record IdSpan(long min, long max, boolean isEmpty) {
    /** An inclusive range of ids. */
    record Range(long from, long to) {}

    /** Runs a query whose first two columns are min(id) and max(id). */
    static IdSpan read(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            if (rs.wasNull()) {
                return new IdSpan(0, 0, true);
            }
            return new IdSpan(min, rs.getLong(2), false);
        }
    }

    /** At most {@code parts} ranges of equal width covering min..max; ids are usually dense, so the work is about even. */
    List<Range> split(int parts) {
        List<Range> ranges = new ArrayList<>();
        if (isEmpty) {
            return ranges;
        }
        // BigInteger-free: the width fits a long unless the ids span nearly all of it, then one range does.
        long width = max - min;
        if (width < 0 || parts <= 1) {
            ranges.add(new Range(min, max));
            return ranges;
        }
        long step = width / parts + 1;
        for (long from = min; from <= max; from += step) {
            long to = max - from < step ? max : from + step - 1;
            ranges.add(new Range(from, to));
            if (to == max) {
                break;
            }
        }
        return ranges;
    }
}
