package io.uplift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Marks a session as one of Uplift's own writers. During an upgrade's maintenance mode the product
 * database refuses every change (a new session's default is read-only, and a guard trigger on every
 * product table refuses writes even from a session that switched read-only off), except from the
 * sessions that carry this marker: the migrations, the re-encryption, the version record, the
 * restore of a rollback. Every connection Uplift writes through during an upgrade declares it.
 *
 * <p>The marker is a custom session setting, which any session may set: it keeps the product's
 * writes out by mistake (a driver or pool that turns read-only off), not a hostile user of the
 * product's own database role, who could as well drop the triggers.
 */
public final class MaintenanceWriter {
    /** The custom setting the guard function reads ({@code current_setting(SETTING, true)}). */
    public static final String SETTING = "uplift.maintenance_writer";
    /** Both statements, for a tool that takes one SQL string to run on each new session (Flyway's initSql). */
    public static final String SESSION_SQL = "SET default_transaction_read_only = off; SET " + SETTING + " = 'on'";

    private MaintenanceWriter() {}

    /** Makes the session writable in maintenance mode; call it right after connecting. */
    public static void declare(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET default_transaction_read_only = off");
            st.execute("SET " + SETTING + " = 'on'");
        }
    }
}
