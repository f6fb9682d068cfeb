package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs catalog queries with an empty search_path, so that pg_get_indexdef and pg_get_constraintdef
 * name every table with its schema and their output can be run on another server as it is. The
 * connection's own search_path is put back afterwards, even on failure: the move's coordinator
 * runs more queries on it.
 */
final class EmptySearchPath {
    interface Work {
        void run() throws SQLException;
    }

    private EmptySearchPath() {}

    static void during(Connection conn, Work work) throws SQLException {
        String searchPath;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('search_path')")) {
            rs.next();
            searchPath = rs.getString(1);
        }
        try (PreparedStatement set = conn.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            set.setString(1, "");
            set.execute();
            try {
                work.run();
            } finally {
                set.setString(1, searchPath);
                set.execute();
            }
        }
    }
}
