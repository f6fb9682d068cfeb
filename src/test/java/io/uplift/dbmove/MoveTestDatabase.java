package io.uplift.dbmove;

import io.uplift.api.Database;
import io.uplift.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fresh database on the shared PostgreSQL 10 or 16 test server, with the libpq URL the move takes. */
record MoveTestDatabase(TestPostgres.Database db) {
    private static final Pattern PORT = Pattern.compile("^jdbc:postgresql://[^:/]+:(\\d+)/");

    static MoveTestDatabase on10() {
        return new MoveTestDatabase(TestPostgres.v10().newDatabase());
    }

    /** Another fresh database on the PostgreSQL 10 server, to look at the server's catalogs from. */
    static MoveTestDatabase on10Admin() {
        return on10();
    }

    static MoveTestDatabase on16() {
        return new MoveTestDatabase(TestPostgres.v16().newDatabase());
    }

    int port() {
        Matcher m = PORT.matcher(db.jdbcUrl());
        if (!m.find()) {
            throw new IllegalStateException("no port in " + db.jdbcUrl());
        }
        return Integer.parseInt(m.group(1));
    }

    /** postgresql://USER:PASSWORD@127.0.0.1:PORT/NAME */
    String url() {
        return urlThroughPort(port());
    }

    /** The same database reached through another port on 127.0.0.1 (a proxy). */
    String urlThroughPort(int port) {
        return "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + port + "/" + db.name();
    }

    /** This database as the facade takes it, given with {@code flag}; its password is the one in {@link #url()}. */
    Database database(String flag) {
        PgUrl url = pgUrl();
        return new Database(flag, url(), url.password(), url.toString());
    }

    PgUrl pgUrl() {
        return PgUrl.parse("--test", url());
    }

    Connection connect() throws SQLException {
        Connection conn = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET DateStyle = 'ISO, YMD'");
            st.execute("SET IntervalStyle = 'postgres'");
        }
        return conn;
    }

    void execute(String... statements) throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    long longOf(String sql) throws SQLException {
        try (Connection conn = connect()) {
            return longOf(conn, sql);
        }
    }

    static long longOf(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return rs.getLong(1);
        }
    }

    String stringOf(String sql) throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return rs.getString(1);
        }
    }

    /** Every row of a query, its columns joined by '|'. */
    List<String> rows(String sql) throws SQLException {
        try (Connection conn = connect()) {
            return rows(conn, sql);
        }
    }

    static List<String> rows(Connection conn, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(b.toString());
            }
        }
        return rows;
    }

    boolean hasMoveRecords() throws SQLException {
        return longOf("SELECT count(*) FROM pg_namespace WHERE nspname = 'uplift_move'") > 0;
    }

    /**
     * The chunks (of a move) or files (of an import) recorded as done so far; 0 before the record
     * exists or after it was dropped. For polling while a move or import runs in another process.
     */
    long recordedChunks() {
        try (Connection conn = connect()) {
            if (longOf(conn, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('uplift_move.chunk')") == 0) {
                return 0;
            }
            return longOf(conn, "SELECT count(*) FROM uplift_move.chunk");
        } catch (SQLException e) {
            return 0; // the record is being created, or dropped, in this instant
        }
    }

    /** Tables, views, sequences in user schemas (what makes a target "not empty"), and the move's own schema. */
    List<String> userRelations() throws SQLException {
        return rows("SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                + " AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1");
    }

    @Override
    public String toString() {
        return db.name() + " on port " + port();
    }
}
