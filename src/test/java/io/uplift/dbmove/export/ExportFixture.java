package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.cli.UpliftCommand;
import io.uplift.db.Jdbc;
import io.uplift.testsupport.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** A small source database on PostgreSQL 10 with the kinds of data an export must carry, and helpers. */
final class ExportFixture {
    private ExportFixture() {}

    /** One in-process run of the command line. */
    record Cli(int exit, String out, String err) {
        static Cli run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = UpliftCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            return new Cli(cli.execute(args), out.toString(), err.toString());
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static final String SCHEMA = """
            CREATE TYPE mood AS ENUM ('calm', 'busy', 'on fire');
            CREATE DOMAIN percent AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100);
            CREATE SCHEMA "odd schema";
            CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, created timestamptz NOT NULL, score percent,
                                   tags text[], profile jsonb, avatar bytea, moods mood[]);
            CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), kind text NOT NULL,
                                 at timestamptz NOT NULL, amount numeric(12,3), payload jsonb, note text);
            CREATE INDEX events_at_idx ON events (at);
            CREATE INDEX events_kind_lower_idx ON events (lower(kind)) WHERE kind <> 'noise';
            CREATE UNIQUE INDEX events_payload_key_idx ON events ((payload->>'key'));
            COMMENT ON INDEX events_at_idx IS 'for the timeline';
            CREATE TABLE "odd schema"."log lines" (line text, at date);
            CREATE TABLE doc (id int PRIMARY KEY, body oid);
            CREATE VIEW recent AS SELECT * FROM events WHERE at > '2020-01-01';
            CREATE SEQUENCE ticket_seq START 1000;
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := coalesce(NEW.note, 'touched'); RETURN NEW; END $$;
            CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW EXECUTE PROCEDURE touch();
            INSERT INTO accounts (email, created, score, tags, profile, avatar, moods)
              SELECT 'user' || g || '@example.com', timestamptz '2021-03-04 05:06:07+02' + g * interval '37 minutes', (g % 100)::numeric,
                     ARRAY['a' || g, 'tab\there', 'quote"s'], jsonb_build_object('n', g, 'name', 'Nam\\e ' || g),
                     decode(md5(g::text), 'hex'), ARRAY['calm', 'on fire']::mood[]
              FROM generate_series(1, 2000) g;
            INSERT INTO events (account_id, kind, at, amount, payload, note)
              SELECT 1 + g % 2000, CASE WHEN g % 7 = 0 THEN 'noise' ELSE 'login' END, timestamptz '2019-06-01 00:00:00+00' + g * interval '1 minute',
                     g * 1.125, jsonb_build_object('key', 'k' || g), CASE WHEN g % 5 = 0 THEN NULL ELSE E'line\\nbreak ' || g END
              FROM generate_series(1, 30000) g;
            INSERT INTO "odd schema"."log lines" SELECT 'line ' || g || E'\\\\ back', date '2020-01-01' + g FROM generate_series(1, 500) g;
            SELECT setval('ticket_seq', 4242, true);
            INSERT INTO doc VALUES (1, lo_from_bytea(0, convert_to(repeat('large object ', 100000), 'UTF8')));
            INSERT INTO doc VALUES (2, lo_from_bytea(0, ''::bytea));
            """;

    /** A new source database on PostgreSQL 10 filled with {@link #SCHEMA}. */
    static TestPostgres.Database source() throws SQLException {
        TestPostgres.Database db = TestPostgres.v10().newDatabase();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(SCHEMA);
        }
        return db;
    }

    static Connection connect(TestPostgres.Database db) throws SQLException {
        return Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
    }

    /** postgresql://USER:PASSWORD@HOST:PORT/DB for --source and --target. */
    static String url(TestPostgres.Database db) {
        return db.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
    }

    /** Per table: row count and md5 of the rows' text in order; the sequence value; every large object's md5. */
    static Map<String, String> checksums(TestPostgres.Database db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET DateStyle = 'ISO, YMD'");
            for (String t : new String[] {"accounts", "events", "\"odd schema\".\"log lines\"", "doc"}) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM "
                        + t + " x")) {
                    rs.next();
                    out.put(t, rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT last_value || '/' || is_called FROM ticket_seq")) {
                rs.next();
                out.put("ticket_seq", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata")) {
                rs.next();
                out.put("large objects", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT string_agg(indexdef, E'\\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname NOT IN "
                    + "('pg_catalog', 'information_schema')")) {
                rs.next();
                out.put("indexes", rs.getString(1));
            }
        }
        assertThat(out).hasSize(7);
        return out;
    }
}
