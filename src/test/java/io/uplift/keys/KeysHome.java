package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.testsupport.UpliftJvm;
import io.uplift.Uplift;
import io.uplift.db.Jdbc;
import io.uplift.api.DemoSettings;
import io.uplift.api.ProgressListener;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A Lockbox 1.0 demo installation (its own PostgreSQL 10 server, 20 demo secrets) with
 * {@code bulkRows} more encrypted secrets from id {@link #FIRST_BULK_ID} on, for the key tests.
 */
final class KeysHome {
    static final long FIRST_BULK_ID = 1_001;

    final Path home;
    final Path work;
    final long bulkRows;

    private KeysHome(Path home, Path work, long bulkRows) {
        this.home = home;
        this.work = work;
        this.bulkRows = bulkRows;
    }

    static KeysHome prepare(long bulkRows) throws SQLException {
        Path dir = TestPostgres.newTraversableTempDir();
        KeysHome h = new KeysHome(dir.resolve("lockbox"), dir.resolve("work"), bulkRows);
        long t0 = System.nanoTime();
        Uplift.configure().home(h.home).load().prepareDemo(new DemoSettings(2_000, 7, DemoSettings.shippedCatalog()), ProgressListener.NONE);
        InstallationKeyset keyset = h.keyset();
        try (Connection conn = h.connect(); Statement st = conn.createStatement()) {
            if (bulkRows > 0) {
                SecretRows.insert(conn, "secrets", FIRST_BULK_ID, bulkRows, keyset.aead(), keyset.primaryKeyId(), 1);
            }
            st.execute("ANALYZE secrets");
        }
        System.out.printf("[KeysHome] %s with %,d more secrets in %.1f s%n", h.home, bulkRows, (System.nanoTime() - t0) / 1e9);
        return h;
    }

    InstallationKeyset keyset() {
        return KeysetStore.of(KeysetFile.of(home)).open(KeyEnvironment.system()).keyset();
    }

    Connection connect() {
        DatabaseSettings db = DatabaseSettings.read(home);
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

    long count(String sql) throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** SHA-256 over every secret's decrypted value, in id order. */
    SecretRows.Checksum checksum(InstallationKeyset keyset) throws SQLException, GeneralSecurityException {
        try (Connection conn = connect()) {
            return SecretRows.checksum(conn, "secrets", Long.MIN_VALUE, Long.MAX_VALUE, keyset.aead());
        }
    }

    UpliftJvm.Result run(String... args) {
        return UpliftJvm.run(work, java.time.Duration.ofMinutes(5), withHome(args));
    }

    String[] withHome(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        return all;
    }

    void stop() {
        try {
            Uplift.configure().home(home).load().stopDatabase();
        } catch (RuntimeException e) {
            System.err.println("[KeysHome] could not stop the server of " + home + ": " + e);
        }
    }
}
