package io.lockbox;

import java.sql.SQLException;

/** What a SQLException means for Lockbox: its SQLSTATE, looked up the cause chain. */
final class DatabaseErrors {
    /** read_only_sql_transaction: the database is in Uplift's maintenance mode and refuses changes. */
    static final String READ_ONLY = "25006";

    private DatabaseErrors() {}

    /** The connection is gone (class 08) or the server ended the session (57P01 admin_shutdown, 57P02, 57P03). */
    static boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isReadOnly(SQLException e) {
        return hasState(e, READ_ONLY);
    }

    static boolean hasState(SQLException e, String sqlState) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && sqlState.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
