package io.uplift.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.db.Jdbc;
import io.uplift.api.ProgressListener;
import io.uplift.testsupport.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The re-encryption engine against a product that keeps writing (PostgreSQL 16): a value the
 * product rewrites while a batch is in flight must keep the product's new plaintext, never be
 * overwritten by the re-encryption of what it held before.
 */
class ReencryptionIT {
    private static final int ROWS = 60_000;

    @Test
    void valuesTheProductRewritesDuringTheRotationKeepTheirNewPlaintext() throws Exception {
        TestPostgres.Database db = TestPostgres.v16().newDatabase();
        Connections connections = () -> Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
        InstallationKeyset old = InstallationKeyset.generate();
        InstallationKeyset next = old.withNewPrimary();
        try (Connection conn = connections.open(); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE vault (id bigint PRIMARY KEY, name text NOT NULL, value bytea NOT NULL, key_id bigint NOT NULL,"
                    + " owner_id bigint NOT NULL)");
            SecretRows.insert(conn, "vault", 1, ROWS, old.aead(), old.primaryKeyId(), 1);
        }
        Map<Long, String> written = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        // The product, still on the old keyset: rewrites random values with the old key, as fast as it can.
        Thread writer = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(5);
            try (Connection conn = connections.open();
                 PreparedStatement up = conn.prepareStatement("UPDATE vault SET value = ?, key_id = ? WHERE id = ?")) {
                while (!stop.get()) {
                    long id = 1 + random.nextLong(ROWS);
                    String plain = "rewritten-" + id + "-" + writes.get();
                    byte[] ad = SecretRows.associatedData(id);
                    up.setBytes(1, old.aead().encrypt(plain.getBytes(StandardCharsets.UTF_8), ad));
                    up.setLong(2, old.primaryKeyId());
                    up.setLong(3, id);
                    up.executeUpdate();
                    written.put(id, plain);
                    writes.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Reencryption engine = new Reencryption(connections, List.of(new EncryptedColumn("vault", "value", "id", "key_id", "id")),
                next.aead(), next.primaryKeyId(), 2, 1_000);
        AtomicLong seen = new AtomicLong();
        writer.start();
        // The writer stops half way through the first pass, so that the passes can end.
        long rewritten = engine.run((done, total) -> {
            seen.set(done);
            if (done > ROWS / 2) {
                stop.set(true);
            }
        });
        writer.join();

        assertThat(writes.get()).as("the product wrote during the rotation").isGreaterThan(100);
        assertThat(engine.remaining()).isZero();
        assertThat(engine.verify(ProgressListener.NONE).passed()).isTrue();
        assertThat(rewritten).as("at least every row once").isGreaterThanOrEqualTo(ROWS);
        try (Connection conn = connections.open(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, value FROM vault ORDER BY id")) {
            long rows = 0;
            while (rs.next()) {
                long id = rs.getLong(1);
                String plain = new String(next.aead().decrypt(rs.getBytes(2), SecretRows.associatedData(id)), StandardCharsets.UTF_8);
                assertThat(plain).as("row " + id).isEqualTo(written.getOrDefault(id, SecretRows.plaintext(id)));
                rows++;
            }
            assertThat(rows).isEqualTo(ROWS);
        }
    }
}
