package io.uplift.demo;

import io.uplift.api.GenerationResult;
import io.uplift.api.ProgressListener;
import com.google.crypto.tink.Aead;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills an empty Lockbox 1.0 database with demo data, deterministically: the same event count and
 * seed give the same rows in every table, byte for byte, except {@code secrets.value}. Tink AEAD
 * encryption is randomized (a fresh nonce per ciphertext), so the ciphertexts differ between runs;
 * their plaintexts are the same.
 *
 * <p>Per {@code events} events it loads max(10, events / 1000) users, 50 threats,
 * max(20, events / 100) secrets, 20 app tokens (format v1) and about events / 10 event-threat links
 * (5% of the events, each linked to 1 to 3 threats). Rows are streamed to PostgreSQL with COPY in
 * the text format, a chunk at a time; the whole load is one transaction, committed at the end. The
 * foreign keys are dropped for the load and recreated (and so validated) before the commit, which
 * is why the connection's user must own the tables, as the user that ran the migrations does.
 * Secret values are encrypted as {@link LockboxSecrets} describes.
 */
public final class LockboxDataGenerator {
    private static final List<String> TABLES = List.of("users", "threats", "secrets", "app_tokens", "events", "event_threats");
    private static final List<String> SERIAL_TABLES = List.of("users", "threats", "secrets", "app_tokens");

    private final long events;
    private final long seed;

    public LockboxDataGenerator(long events, long seed) {
        if (events < 0) {
            throw new UpliftException(ErrorCode.USAGE, "The number of demo events must be 0 or more, got " + events + ".");
        }
        this.events = events;
        this.seed = seed;
    }

    /**
     * Loads the data through {@code conn}, which must reach a database holding the Lockbox 1.0
     * schema and no rows. Secrets are encrypted with {@code aead}; {@code keyId} goes to
     * {@code secrets.key_id}. The connection's auto-commit setting is restored afterwards.
     */
    public GenerationResult generate(Connection conn, Aead aead, long keyId, ProgressListener listener) {
        long start = System.nanoTime();
        LockboxTables tables = new LockboxTables(events, seed);
        long eventThreats = tables.eventThreatCount();
        GenerationResult counts = new GenerationResult(tables.userCount(), LockboxTables.THREATS, tables.secretCount(),
                LockboxTables.APP_TOKENS, events, eventThreats, Duration.ZERO);
        Progress progress = new Progress(listener, counts.totalRows());
        boolean autoCommit = autoCommit(conn);
        try {
            conn.setAutoCommit(false);
            requireEmptySchema(conn);
            SuspendedForeignKeys suspended = SuspendedForeignKeys.suspend(conn, TABLES);
            CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
            load(copy, "users (id, name, email, created_at)", tables.users(), progress);
            load(copy, "threats (id, name, level)", tables.threats(), progress);
            load(copy, "secrets (id, name, value, key_id, owner_id, created_at)", tables.secrets(aead, keyId), progress);
            load(copy, "app_tokens (id, name, description, scope, token_hash, format, created_at, last_used_at)",
                    tables.appTokens(), progress);
            load(copy, "events (id, occurred_at, user_id, kind, source_ip, payload)", tables.events(), progress);
            load(copy, "event_threats (event_id, threat_id)", tables.eventThreats(), progress);
            suspended.restore(conn);
            advanceSequences(conn);
            conn.commit();
        } catch (SQLException e) {
            rollback(conn, e);
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE,
                    "Loading the Lockbox demo data failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(conn, e);
            throw e;
        } finally {
            restoreAutoCommit(conn, autoCommit);
        }
        progress.finish();
        analyze(conn);
        return new GenerationResult(counts.users(), counts.threats(), counts.secrets(), counts.appTokens(),
                counts.events(), counts.eventThreats(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static void load(CopyManager copy, String tableAndColumns, RowSource.RowWriter rows, Progress progress)
            throws SQLException {
        try {
            copy.copyIn("COPY " + tableAndColumns + " FROM STDIN", new RowSource(rows, progress::add), RowSource.CHUNK_BYTES);
        } catch (IOException e) {
            // RowSource never throws IOException; CopyManager declares it for other streams.
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot stream rows to " + tableAndColumns + ": " + e.getMessage(), e);
        }
    }

    private static void requireEmptySchema(Connection conn) throws SQLException {
        try (Statement statement = conn.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Table " + table
                                + " already holds rows; the demo data goes into an empty Lockbox 1.0 database only.");
                    }
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database lacks the Lockbox 1.0 schema ("
                        + e.getMessage() + "). Apply the migrations of release 1.0 before generating data.", e);
            }
            throw e;
        }
    }

    // The rows carry explicit ids, so the id sequences still stand at 1.
    private static void advanceSequences(Connection conn) throws SQLException {
        try (Statement statement = conn.createStatement()) {
            for (String table : SERIAL_TABLES) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM " + table + "))");
            }
        }
    }

    // Fresh statistics let the first upgrade's queries and the database move plan well.
    private static void analyze(Connection conn) {
        try (Statement statement = conn.createStatement()) {
            statement.execute("ANALYZE");
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "ANALYZE after loading the demo data failed: " + e.getMessage(), e);
        }
    }

    private static boolean autoCommit(Connection conn) {
        try {
            return conn.getAutoCommit();
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The database connection is not usable: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection conn, Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection conn, boolean autoCommit) {
        try {
            conn.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // The connection is broken; the error that broke it is already on its way to the caller.
        }
    }

    /** Counts rows across tables and reports them to the listener. */
    private static final class Progress {
        private final ProgressListener listener;
        private final long total;
        private long done;

        Progress(ProgressListener listener, long total) {
            this.listener = listener;
            this.total = total;
        }

        void add(long rows) {
            done += rows;
            listener.progress(Math.min(done, total), total);
        }

        void finish() {
            listener.progress(total, total);
        }
    }
}
