package io.uplift.dbmove;

import io.uplift.db.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Connections of a move, each with the same session settings on both servers, so that text COPY
 * keeps every float digit and checksums see the same text on either side.
 */
final class MoveConnections {
    static final int EXTRA_FLOAT_DIGITS = 3;
    private static final String[] SETTINGS = {
        "SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
        "SET extra_float_digits = " + EXTRA_FLOAT_DIGITS, "SET default_transaction_read_only = off", "SET statement_timeout = 0",
        // --filter predicates are checked for their shape (FilterPredicate) as standard strings: the server must read them so
        "SET standard_conforming_strings = on"};

    private MoveConnections() {}

    static Connection open(PgUrl url) throws SQLException {
        Connection conn = Jdbc.connect(url.jdbcUrl(), url.user(), url.password());
        try (Statement st = conn.createStatement()) {
            for (String s : SETTINGS) {
                st.execute(s);
            }
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }

    /**
     * A source connection whose every transaction is READ ONLY, set before any operator text (a
     * --filter predicate) reaches it: validation reads the source and never writes there.
     */
    static Connection openReadOnly(PgUrl source) throws SQLException {
        Connection conn = open(source);
        try (Statement st = conn.createStatement()) {
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }

    /** A source connection reading in the snapshot another session exported (pg_export_snapshot). */
    static Connection inSnapshot(PgUrl source, String snapshot) throws SQLException {
        Connection conn = open(source);
        try (Statement st = conn.createStatement()) {
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            conn.setAutoCommit(false);
            if (snapshot != null) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "") + "'");
            }
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }
}
