package io.uplift.demo;

import io.uplift.api.GenerationResult;
import io.uplift.api.ProgressListener;
import static io.uplift.demo.LockboxCatalogFiles.connect;
import static io.uplift.demo.LockboxCatalogFiles.migrateTo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import io.uplift.keys.InstallationKeyset;
import io.uplift.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class LockboxDataGeneratorIT {
    private static final long EVENTS = 10_000;

    /** Every column but the ciphertext, per table, in id order. */
    private static final Map<String, String> CONTENT_QUERIES = Map.of(
            "users", "SELECT md5(string_agg(concat_ws('|', id, name, email, created_at), ',' ORDER BY id)) FROM users",
            "threats", "SELECT md5(string_agg(concat_ws('|', id, name, level), ',' ORDER BY id)) FROM threats",
            "secrets", "SELECT md5(string_agg(concat_ws('|', id, name, key_id, owner_id, created_at), ',' ORDER BY id)) FROM secrets",
            "app_tokens", "SELECT md5(string_agg(concat_ws('|', id, name, description, scope, token_hash, format, created_at,"
                    + " coalesce(last_used_at::text, 'null')), ',' ORDER BY id)) FROM app_tokens",
            "events", "SELECT md5(string_agg(concat_ws('|', id, occurred_at, coalesce(user_id::text, 'null'), kind,"
                    + " coalesce(source_ip::text, 'null'), payload), ',' ORDER BY id)) FROM events",
            "event_threats", "SELECT md5(string_agg(event_id || '|' || threat_id, ',' ORDER BY event_id, threat_id)) FROM event_threats");

    private final InstallationKeyset keyset = InstallationKeyset.generate();

    @Test
    void tenThousandEventsComeWithTheirUsersSecretsTokensThreatsAndLinks() throws Exception {
        TestPostgres.Database db = lockbox10Database();
        List<long[]> reports = new ArrayList<>();

        GenerationResult result = generate(db, 42, (done, total) -> reports.add(new long[] {done, total}));

        assertThat(result).extracting(GenerationResult::users, GenerationResult::threats, GenerationResult::secrets,
                GenerationResult::appTokens, GenerationResult::events).containsExactly(10L, 50L, 100L, 20L, EVENTS);
        assertThat(result.eventThreats()).isBetween(700L, 1300L);
        assertThat(rowCounts(db)).containsExactly(Map.entry("users", 10L), Map.entry("threats", 50L),
                Map.entry("secrets", 100L), Map.entry("app_tokens", 20L), Map.entry("events", EVENTS),
                Map.entry("event_threats", result.eventThreats()));
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1)).containsExactly(result.totalRows(), result.totalRows());
        assertThat(reports).extracting(r -> r[0]).isSorted();
        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            assertThat(single(statement, "SELECT count(DISTINCT event_id) FROM event_threats")).isBetween(400L, 600L);
            assertThat(single(statement, "SELECT count(*) FROM app_tokens WHERE last_used_at IS NULL")).isBetween(1L, 19L);
            assertThat(single(statement, "SELECT count(*) FROM app_tokens WHERE format <> 'v1'"
                    + " OR token_hash !~ '^[0-9a-f]{64}$'")).isZero();
            // The id sequences follow the loaded ids, so the application can insert next.
            statement.execute("INSERT INTO users (name, email) VALUES ('New User', 'new@example.com')");
            assertThat(single(statement, "SELECT max(id) FROM users")).isEqualTo(11L);
        }
    }

    @Test
    void theSameSeedGivesTheSameContentsAndPlaintexts() throws Exception {
        TestPostgres.Database first = lockbox10Database();
        TestPostgres.Database second = lockbox10Database();

        generate(first, 7, ProgressListener.NONE);
        generate(second, 7, ProgressListener.NONE);

        assertThat(contentDigests(second)).isEqualTo(contentDigests(first));
        assertThat(decryptedSecrets(second)).isEqualTo(decryptedSecrets(first));
        assertThat(ciphertexts(second)).doesNotContainAnyElementsOf(ciphertexts(first));
    }

    @Test
    void aDifferentSeedGivesDifferentContents() throws Exception {
        TestPostgres.Database first = lockbox10Database();
        TestPostgres.Database second = lockbox10Database();

        generate(first, 7, ProgressListener.NONE);
        generate(second, 8, ProgressListener.NONE);

        Map<String, String> a = contentDigests(first);
        Map<String, String> b = contentDigests(second);
        for (String table : List.of("users", "threats", "secrets", "app_tokens", "events", "event_threats")) {
            assertThat(b.get(table)).as(table).isNotEqualTo(a.get(table));
        }
        assertThat(decryptedSecrets(second)).isNotEqualTo(decryptedSecrets(first));
    }

    @Test
    void everySecretDecryptsWithTheKeysetItNamesAndItsIdAsAssociatedData() throws Exception {
        TestPostgres.Database db = lockbox10Database();
        generate(db, 1, ProgressListener.NONE);

        assertThat(decryptedSecrets(db)).hasSize(100).allSatisfy(plaintext -> assertThat(plaintext).matches("lbx-[0-9A-Za-z]{24}"));
        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM secrets WHERE key_id <> " + keyset.primaryKeyId())).isZero();
            // A ciphertext moved to another row does not decrypt: the row id is bound in.
            try (ResultSet row = statement.executeQuery("SELECT value FROM secrets WHERE id = 1")) {
                row.next();
                byte[] ciphertext = row.getBytes(1);
                assertThatThrownBy(() -> keyset.aead().decrypt(ciphertext, LockboxSecrets.associatedData(2)))
                        .isInstanceOf(java.security.GeneralSecurityException.class);
            }
        }
    }

    @Test
    void theForeignKeysDroppedForTheLoadComeBackUnchanged() throws Exception {
        TestPostgres.Database db = lockbox10Database();
        List<String> before = schemaObjects(db);

        generate(db, 1, ProgressListener.NONE);

        assertThat(schemaObjects(db)).isEqualTo(before).contains(
                "event_threats_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id)",
                "events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)",
                "CREATE INDEX events_occurred_at_idx ON public.events USING btree (occurred_at)");
    }

    @Test
    void aDatabaseThatAlreadyHoldsDataIsRefusedAndLeftAsItWas() throws Exception {
        TestPostgres.Database db = lockbox10Database();
        generate(db, 1, ProgressListener.NONE);
        Map<String, String> before = contentDigests(db);

        assertThatThrownBy(() -> generate(db, 2, ProgressListener.NONE))
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("already holds rows");
        assertThat(contentDigests(db)).isEqualTo(before);
    }

    private static List<String> schemaObjects(TestPostgres.Database db) throws Exception {
        List<String> objects = new ArrayList<>();
        try (Connection conn = connect(db); Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                     + " WHERE connamespace = 'public'::regnamespace UNION ALL SELECT indexdef FROM pg_indexes"
                     + " WHERE schemaname = 'public' ORDER BY 1")) {
            while (rows.next()) {
                objects.add(rows.getString(1));
            }
        }
        return objects;
    }

    /**
     * The load time the demo depends on, run on request only:
     * {@code mvn verify -Dit.test=LockboxDataGeneratorIT#timesALargeLoad -Duplift.demo.timedEvents=1000000}.
     */
    @Test
    @EnabledIfSystemProperty(named = "uplift.demo.timedEvents", matches = "[0-9]+")
    void timesALargeLoad() throws Exception {
        long events = Long.getLong("uplift.demo.timedEvents");
        TestPostgres.Database db = lockbox10Database();

        GenerationResult result;
        try (Connection conn = connect(db)) {
            result = new LockboxDataGenerator(events, 42).generate(conn, keyset.aead(), keyset.primaryKeyId(), ProgressListener.NONE);
        }

        System.out.printf("Generated %,d events (%,d rows in all) into PostgreSQL 10 in %.1f s%n",
                events, result.totalRows(), result.elapsed().toMillis() / 1000.0);
        assertThat(rowCounts(db)).containsEntry("events", events);
    }

    private TestPostgres.Database lockbox10Database() throws Exception {
        TestPostgres.Database db = TestPostgres.v10().newDatabase();
        migrateTo(db, "1.0");
        return db;
    }

    private GenerationResult generate(TestPostgres.Database db, long seed, ProgressListener listener) throws Exception {
        try (Connection conn = connect(db)) {
            return new LockboxDataGenerator(EVENTS, seed).generate(conn, keyset.aead(), keyset.primaryKeyId(), listener);
        }
    }

    private static Map<String, Long> rowCounts(TestPostgres.Database db) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            for (String table : List.of("users", "threats", "secrets", "app_tokens", "events", "event_threats")) {
                counts.put(table, single(statement, "SELECT count(*) FROM " + table));
            }
        }
        return counts;
    }

    private static Map<String, String> contentDigests(TestPostgres.Database db) throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (Map.Entry<String, String> query : CONTENT_QUERIES.entrySet()) {
                try (ResultSet rows = statement.executeQuery(query.getValue())) {
                    rows.next();
                    digests.put(query.getKey(), rows.getString(1));
                }
            }
        }
        return digests;
    }

    private List<String> decryptedSecrets(TestPostgres.Database db) throws Exception {
        List<String> plaintexts = new ArrayList<>();
        try (Connection conn = connect(db); Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, value FROM secrets ORDER BY id")) {
            while (rows.next()) {
                byte[] plaintext = keyset.aead().decrypt(rows.getBytes(2), LockboxSecrets.associatedData(rows.getLong(1)));
                plaintexts.add(new String(plaintext, UTF_8));
            }
        }
        return plaintexts;
    }

    private static List<String> ciphertexts(TestPostgres.Database db) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection conn = connect(db); Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT encode(value, 'hex') FROM secrets ORDER BY id")) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
