package io.uplift.demo;

import io.uplift.api.ProgressListener;
import static io.uplift.demo.LockboxCatalogFiles.connect;
import static io.uplift.demo.LockboxCatalogFiles.migrateTo;
import static io.uplift.demo.LockboxCatalogFiles.taskSql;
import static io.uplift.demo.LockboxDataGeneratorIT.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.keys.InstallationKeyset;
import io.uplift.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The example catalog's migrations, applied hop by hop with Flyway over generated data. */
class LockboxMigrationsIT {
    private static final long EVENTS = 5_000;

    @Test
    void releasesUpTo21ApplyOnPostgres10WithDataInPlace() throws Exception {
        TestPostgres.Database db = TestPostgres.v10().newDatabase();
        loadRelease10(db);

        for (String release : new String[] {"1.1", "2.0", "2.1"}) {
            migrateTo(db, release);
        }

        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM events")).isEqualTo(EVENTS);
            assertThat(single(statement, "SELECT count(*) FROM events WHERE severity = 4")).isEqualTo(
                    single(statement, "SELECT count(*) FROM events WHERE kind = 'threat.detected'")).isPositive();
            assertThat(single(statement, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(8);
            statement.execute("INSERT INTO app_tokens (name, scope, token_hash, format) VALUES ('v2-token', 'admin', '"
                    + "a".repeat(64) + "', 'v2')");
        }
    }

    @Test
    void theTaxonomyTaskFilesEveryThreatAndCanRunTwice() throws Exception {
        TestPostgres.Database db = TestPostgres.v10().newDatabase();
        loadRelease10(db);
        migrateTo(db, "1.1");
        migrateTo(db, "2.0");

        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            assertThat(statement.executeUpdate(taskSql("2.0", "update-taxonomies"))).isEqualTo(50);
            assertThat(statement.executeUpdate(taskSql("2.0", "update-taxonomies"))).isZero();
            assertThat(single(statement, "SELECT count(*) FROM threats t JOIN taxonomies x ON x.id = t.taxonomy_id"
                    + " WHERE t.name LIKE 'malware/%' AND x.name = 'malware'")).isPositive();
            assertThat(single(statement, "SELECT count(*) FROM threats t JOIN taxonomies x ON x.id = t.taxonomy_id"
                    + " WHERE x.name = 'unclassified'")).isPositive();
        }
    }

    @Test
    void releasesUpTo30ApplyOnPostgres16KeepingEveryEventAndTheForeignKeys() throws Exception {
        TestPostgres.Database db = TestPostgres.v16().newDatabase();
        loadRelease10(db);
        long links;
        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            links = single(statement, "SELECT count(*) FROM event_threats");
        }

        for (String release : new String[] {"1.1", "2.1", "3.0"}) {
            migrateTo(db, release);
        }

        try (Connection conn = connect(db); Statement statement = conn.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM events")).isEqualTo(EVENTS);
            assertThat(single(statement, "SELECT count(*) FROM event_threats")).isEqualTo(links);
            assertThat(single(statement, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                    + " WHERE c.relname = 'events'")).isEqualTo(1);
            assertThat(single(statement, "SELECT count(*) FROM pg_indexes WHERE indexname = 'events_kind_occurred_at_idx'"))
                    .isEqualTo(1);
            assertThatThrownBy(() -> statement.execute("INSERT INTO event_threats VALUES (" + (EVENTS + 1) + ", 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("event_threats_event_id_fkey");
            assertThatThrownBy(() -> statement.execute("DELETE FROM events WHERE id IN (SELECT event_id FROM event_threats)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("event_threats_event_id_fkey");
        }
    }

    private static void loadRelease10(TestPostgres.Database db) throws Exception {
        migrateTo(db, "1.0");
        InstallationKeyset keyset = InstallationKeyset.generate();
        try (Connection conn = connect(db)) {
            new LockboxDataGenerator(EVENTS, 3).generate(conn, keyset.aead(), keyset.primaryKeyId(), ProgressListener.NONE);
        }
    }
}
