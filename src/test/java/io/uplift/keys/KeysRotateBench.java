package io.uplift.keys;

import com.google.crypto.tink.Aead;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.db.Jdbc;
import io.uplift.api.ProgressListener;
import io.uplift.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Benchmark of the re-encryption (issue 5; run by bench/keys-rotate.sh, not a test). On a fresh
 * PostgreSQL server it loads ROWS encrypted values three times over (identical tables), then
 * rotates to the same new key with: (a) a plain single-threaded loop (SELECT all through a cursor,
 * decrypt, encrypt, UPDATE in JDBC batches of 5,000, commit per batch), which is also what the
 * upgrade's rotation step did before the engine; (b1) Uplift's engine with one thread; (b) the
 * engine with its default threads. Prints rows/s of each and the ratios, checks that every table
 * ends with the same plaintexts, all under the new key.
 *
 * <p>Arguments: [ROWS (default 1,000,000)] [PG_MAJOR (default 16)] [THREADS (default: the engine's)]
 */
public final class KeysRotateBench {
    private static final int BATCH = 5_000;

    private KeysRotateBench() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        int major = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Reencryption.defaultThreads();
        TestPostgres.Server server = TestPostgres.startEphemeral(major);
        TestPostgres.Database db = server.newDatabase();
        Connections connections = () -> Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
        InstallationKeyset old = InstallationKeyset.generate();
        InstallationKeyset next = old.withNewPrimary();
        System.out.printf("rows %,d, PostgreSQL %d, engine threads %d, batch %,d, cores %d%n", rows, major, threads, BATCH,
                Runtime.getRuntime().availableProcessors());
        List<String> tables = List.of("secrets_plain", "secrets_engine1", "secrets_engine");
        long t0 = System.nanoTime();
        try (Connection conn = connections.open(); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE secrets_plain (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, value bytea NOT NULL,"
                    + " key_id bigint NOT NULL, owner_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            SecretRows.insert(conn, "secrets_plain", 1, rows, old.aead(), old.primaryKeyId(), 1);
            for (String t : tables.subList(1, tables.size())) {
                st.execute("CREATE TABLE " + t + " (LIKE secrets_plain INCLUDING ALL)");
                st.execute("INSERT INTO " + t + " SELECT * FROM secrets_plain");
            }
            st.execute("VACUUM ANALYZE");
        }
        System.out.printf("loaded %d tables in %.1f s%n", tables.size(), (System.nanoTime() - t0) / 1e9);
        SecretRows.Checksum before = checksum(connections, "secrets_plain", next.aead());

        checkpoint(connections);
        double plain = plainLoop(connections, "secrets_plain", next.aead(), next.primaryKeyId(), rows);
        checkpoint(connections);
        double one = engine(connections, "secrets_engine1", next, 1, rows);
        checkpoint(connections);
        double many = engine(connections, "secrets_engine", next, threads, rows);

        for (String t : tables) {
            SecretRows.Checksum after = checksum(connections, t, next.aead());
            long stale = count(connections, "SELECT count(*) FROM " + t + " WHERE key_id <> " + next.primaryKeyId());
            if (!after.equals(before) || stale != 0) {
                throw new AssertionError(t + ": " + after + " vs " + before + ", " + stale + " rows not under the new key");
            }
        }
        System.out.println("all three tables: same plaintexts as before (SHA-256 " + before.sha256().substring(0, 16) + "...), all under the new key");
        System.out.printf("%-44s %12s %8s%n", "variant", "rows/s", "ratio");
        System.out.printf("%-44s %,12.0f %8.2f%n", "(a) plain single-threaded loop", plain, 1.0);
        System.out.printf("%-44s %,12.0f %8.2f%n", "(b1) Uplift engine, 1 thread", one, one / plain);
        System.out.printf("%-44s %,12.0f %8.2f%n", "(b) Uplift engine, " + threads + " threads", many, many / plain);
        System.exit(0); // TestPostgres stops the server at exit
    }

    /** (a): one cursor streams every row; decrypt, encrypt, one UPDATE per row sent in JDBC batches; a commit per batch. */
    private static double plainLoop(Connections connections, String table, Aead aead, long primary, long rows) throws Exception {
        long start = System.nanoTime();
        long done = 0;
        try (Connection read = connections.open(); Connection write = connections.open()) {
            read.setAutoCommit(false);
            write.setAutoCommit(false);
            try (Statement sel = read.createStatement();
                 PreparedStatement upd = write.prepareStatement("UPDATE " + table + " SET value = ?, key_id = ? WHERE id = ?")) {
                sel.setFetchSize(BATCH);
                try (ResultSet rs = sel.executeQuery("SELECT id, value FROM " + table + " WHERE key_id <> " + primary)) {
                    int inBatch = 0;
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        byte[] ad = SecretRows.associatedData(id);
                        upd.setBytes(1, aead.encrypt(aead.decrypt(rs.getBytes(2), ad), ad));
                        upd.setLong(2, primary);
                        upd.setLong(3, id);
                        upd.addBatch();
                        done++;
                        if (++inBatch == BATCH) {
                            upd.executeBatch();
                            write.commit();
                            inBatch = 0;
                        }
                    }
                    upd.executeBatch();
                    write.commit();
                }
            }
            read.rollback();
        }
        return report("(a) plain loop", done, rows, start);
    }

    private static double engine(Connections connections, String table, InstallationKeyset keyset, int threads, long rows) throws Exception {
        long start = System.nanoTime();
        Reencryption engine = new Reencryption(connections, List.of(new EncryptedColumn(table, "value", "id", "key_id", "id")),
                keyset.aead(), keyset.primaryKeyId(), threads, Reencryption.DEFAULT_BATCH_ROWS);
        long done = engine.run(ProgressListener.NONE);
        double rate = report("engine " + threads + " thread(s)", done, rows, start);
        long v0 = System.nanoTime();
        Verification v = engine.verify(ProgressListener.NONE);
        if (!v.passed() || v.checked() != rows) {
            throw new AssertionError("verification: " + v);
        }
        System.out.printf("  its verification: %,d values in %.1f s (%,.0f values/s)%n", v.checked(), (System.nanoTime() - v0) / 1e9,
                v.checked() / ((System.nanoTime() - v0) / 1e9));
        return rate;
    }

    private static double report(String what, long done, long rows, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (done != rows) {
            throw new AssertionError(what + " rewrote " + done + " rows, expected " + rows);
        }
        System.out.printf("%-28s %,d rows in %.1f s: %,.0f rows/s%n", what, done, seconds, done / seconds);
        return done / seconds;
    }

    private static SecretRows.Checksum checksum(Connections connections, String table, Aead aead) throws Exception {
        try (Connection conn = connections.open()) {
            return SecretRows.checksum(conn, table, Long.MIN_VALUE, Long.MAX_VALUE, aead);
        }
    }

    private static void checkpoint(Connections connections) throws SQLException {
        try (Connection conn = connections.open(); Statement st = conn.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    private static long count(Connections connections, String sql) throws SQLException {
        try (Connection conn = connections.open(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
