package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ANALYZE of every table, partitioned table and materialized view that EarlyIndexes did not
 * analyze already (tables with nothing to build, partitioned parents, all of them on a resume
 * after the post-data phase).
 */
final class AnalyzePhase implements MovePhase {
    private final RowsPhase rows;

    AnalyzePhase(RowsPhase rows) {
        this.rows = rows;
    }

    @Override
    public void run(MoveRun m) throws SQLException {
        m.listener().phase("ANALYZE");
        analyzeRest(m.target(), rows.copied().early().map(EarlyIndexes::analyzed).orElse(Set.of()));
    }

    private static void analyzeRest(Connection target, Set<String> analyzed) throws SQLException {
        List<String> rest = new ArrayList<>();
        try (Statement st = target.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'm') AND " + Inventory.SYSTEM_SCHEMAS)) {
            while (rs.next()) {
                String name = TableInfo.qualified(rs.getString(1), rs.getString(2));
                if (!analyzed.contains(name)) {
                    rest.add(name);
                }
            }
        }
        if (!rest.isEmpty()) {
            try (Statement st = target.createStatement()) {
                st.execute("ANALYZE " + String.join(", ", rest));
            }
        }
    }
}
