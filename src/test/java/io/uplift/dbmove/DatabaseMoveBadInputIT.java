package io.uplift.dbmove;

import io.uplift.testsupport.UpliftJvm;
import io.uplift.testsupport.TcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.GenerationResult;
import io.uplift.demo.LockboxDataGenerator;
import io.uplift.api.ProgressListener;
import io.uplift.keys.InstallationKeyset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 3: bad input and a lost source, each refused or recovered as the issue says. */
class DatabaseMoveBadInputIT {
    @TempDir
    Path temp;

    @Test
    void aTargetThatIsNotEmptyIsRefusedAndLeftAsItWas() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        target.execute("CREATE TABLE already_here (id integer PRIMARY KEY, v text)", "INSERT INTO already_here VALUES (1, 'keep me')");
        List<String> before = target.userRelations();
        Map<String, String> sums = TableChecksums.of(target);

        Cli run = Cli.run(move(source.url(), target.url()));

        assertThat(run.exit()).as(run.toString()).isEqualTo(23);
        assertThat(run.err()).contains("not empty").contains("--resume").doesNotContain(target.db().password());
        assertThat(target.userRelations()).isEqualTo(before);
        assertThat(TableChecksums.of(target)).isEqualTo(sums);
        assertThat(target.hasMoveRecords()).isFalse();
    }

    /**
     * A move that finished has dropped its records with its validation; --resume then (a kill between that drop and
     * the exit, the operator who lost the output, the upgrade's move step resumed after a crash) must not apply the
     * schema again ("already exists", exit 23, "run again with --resume": a loop), but only validate what is there.
     * Fails until DatabaseMove.prepareTarget treats "resume, no records, not empty" as finished (see the report).
     */
    @Test
    void resumingAMoveThatAlreadyFinishedOnlyValidatesItAndChangesNothing() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Cli done = Cli.run(move(source.url(), target.url()));
        assertThat(done.exit()).as(done.toString()).isZero();
        Map<String, String> sums = TableChecksums.of(target);
        List<String> relations = target.userRelations();

        Cli again = Cli.run(withArgs(move(source.url(), target.url()), "--resume"));

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Validation passed");
        assertThat(target.userRelations()).isEqualTo(relations);
        assertThat(TableChecksums.of(target)).isEqualTo(sums);
        assertThat(target.hasMoveRecords()).isFalse();
    }

    @Test
    void deleteSourceWithoutValidationIsRefusedBeforeAnythingIsCreated() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Map<String, String> sourceSums = TableChecksums.of(source);

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--delete-source", "--skip-validation"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--delete-source");
        assertThat(target.userRelations()).isEmpty();
        assertThat(TableChecksums.of(source)).isEqualTo(sourceSums);
    }

    @Test
    void deleteSourceAfterAFailedValidationKeepsTheSourceAndAfterAPassedOneDeletesIt() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Cli moved = Cli.run(move(source.url(), target.url()));
        assertThat(moved.exit()).as(moved.toString()).isZero();
        Map<String, String> sourceSums = TableChecksums.of(source);
        List<String> validate = List.of("db", "move", "--source", source.url(), "--target", target.url(), "--validate", "--delete-source",
                "--yes");
        target.execute("UPDATE events SET kind = 'changed' WHERE id = 7");

        Cli refused = Cli.run(validate);

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(24);
        assertThat(refused.out()).contains("public.events#1/1");
        assertThat(TableChecksums.of(source)).isEqualTo(sourceSums);

        target.execute("UPDATE events SET kind = 'kind 1' WHERE id = 7");
        Cli deleted = Cli.run(validate);

        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("Validation passed").contains("Deleted");
        assertThat(MoveTestDatabase.on10Admin().longOf("SELECT count(*) FROM pg_database WHERE datname = '" + source.db().name() + "'"))
                .isZero();
    }

    @Test
    void aToolsFolderWithoutPgDumpIsRefusedByName() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Path empty = Files.createDirectory(temp.resolve("no-tools-here"));

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--pg-tools-dir", empty.toString()));

        assertThat(run.exit()).as(run.toString()).isEqualTo(22);
        assertThat(run.err()).contains(empty.toString()).contains("pg_dump");
        assertThat(target.userRelations()).isEmpty();
    }

    @Test
    void aPgDumpOlderThanTheSourceIsRefusedNamingBothVersions() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Path old = Files.createDirectory(temp.resolve("pg96"));
        for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
            Path script = old.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 9.6.24'\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--pg-tools-dir", old.toString()));

        assertThat(run.exit()).as(run.toString()).isEqualTo(22);
        assertThat(run.err()).contains("9.6").contains("PostgreSQL 10").contains(old.toString());
        assertThat(target.userRelations()).isEmpty();
    }

    @Test
    void aSourceLostInTheMiddleOfTheCopyStopsTheMoveAndResumeFinishesIt() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        SplitSource.create(source);
        Map<String, String> sourceSums = TableChecksums.of(source);
        MoveTestDatabase target = MoveTestDatabase.on16();
        Path work = Files.createDirectories(temp.resolve("work"));
        try (TcpProxy proxy = new TcpProxy(source.port())) {
            List<String> args = new ArrayList<>(List.of("db", "move", "--source", source.urlThroughPort(proxy.port()),
                    "--target", target.url(), "--threads", "2", "--yes"));
            UpliftJvm child = UpliftJvm.start(work, Map.of(), args);
            child.awaitWhileRunning("a chunk done on the target", Duration.ofMinutes(2), () -> target.recordedChunks() > 0);
            proxy.pause(); // refuse reconnects until the resume below
            proxy.cutAll();
            UpliftJvm.Result stopped = child.awaitExit(Duration.ofMinutes(2));
            long doneAtCut = target.recordedChunks();

            assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(23);
            assertThat(stopped.err()).contains("--resume");
            assertThat(doneAtCut).as("the cut came in the middle of the copy").isBetween(1L, (long) countChunks(source) - 1);

            proxy.resume();
            args.add("--resume");
            UpliftJvm.Result resumed = UpliftJvm.run(work, Duration.ofMinutes(2), args);

            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            assertThat(resumed.out()).contains("Validation passed").containsPattern("\\(" + doneAtCut + " already done\\)");
        }
        assertThat(TableChecksums.of(target)).isEqualTo(sourceSums);
        assertThat(SplitSource.extras(target)).isEqualTo(SplitSource.extras(source));
        assertThat(target.hasMoveRecords()).isFalse();
    }

    @Test
    void aFilterThatDoesNotParseIsRefusedBeforeAnythingIsCreated() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--filter", "events=this is not sql"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("events").contains("this is not sql");
        assertThat(target.userRelations()).isEmpty();
        assertThat(target.hasMoveRecords()).isFalse();
    }

    @Test
    void aFilterOnAnUnknownTableIsRefused() throws Exception {
        MoveTestDatabase source = smallSource();
        MoveTestDatabase target = MoveTestDatabase.on16();

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--filter", "no_such_table=id > 1"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("no_such_table");
        assertThat(target.userRelations()).isEmpty();
        assertThat(target.hasMoveRecords()).isFalse();
    }

    @Test
    void onlyThreatEventsMovesTheEventsWithAThreatAndKeepsTheForeignKeysValid() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        Flyway.configure().dataSource(source.db().jdbcUrl(), source.db().user(), source.db().password())
                .locations("filesystem:" + Path.of(System.getProperty("uplift.distribution", "."))
                        .resolve("examples/lockbox/catalog/releases/1.0/migrations"))
                .load().migrate();
        InstallationKeyset keyset = InstallationKeyset.generate();
        GenerationResult generated;
        try (Connection conn = source.connect()) {
            generated = new LockboxDataGenerator(5_000, 11).generate(conn, keyset.aead(), keyset.primaryKeyId(), ProgressListener.NONE);
        }
        String withThreat = "EXISTS (SELECT 1 FROM event_threats et WHERE et.event_id = t.id)";
        long threatEvents = source.longOf("SELECT count(*) FROM events t WHERE " + withThreat);
        assertThat(threatEvents).isBetween(1L, generated.events() - 1);
        MoveTestDatabase target = MoveTestDatabase.on16();

        Cli run = Cli.run(withArgs(move(source.url(), target.url()), "--only-threat-events"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Validation passed");
        try (Connection s = source.connect(); Connection t = target.connect()) {
            assertThat(TableChecksums.of(t, "public.events", "")).isEqualTo(TableChecksums.of(s, "public.events", withThreat))
                    .startsWith(threatEvents + " ");
            for (String table : List.of("public.event_threats", "public.users", "public.threats", "public.secrets", "public.app_tokens")) {
                assertThat(TableChecksums.of(t, table, "")).as(table).isEqualTo(TableChecksums.of(s, table, ""));
            }
        }
        assertThat(target.longOf("SELECT count(*) FROM event_threats et WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = et.event_id)"))
                .isZero();
        assertThat(target.longOf("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated"
                + " AND conrelid IN ('event_threats'::regclass, 'events'::regclass, 'secrets'::regclass)")).isEqualTo(4);
        long missingEvent = target.longOf("SELECT max(id) + 1 FROM events");
        assertThatThrownBy(() -> target.execute("INSERT INTO event_threats (event_id, threat_id) VALUES (" + missingEvent + ", 1)"))
                .isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
    }

    private static MoveTestDatabase smallSource() throws SQLException {
        MoveTestDatabase source = MoveTestDatabase.on10();
        source.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL)",
                "INSERT INTO events SELECT i, 'kind ' || (i % 3) FROM generate_series(1, 100) i");
        return source;
    }

    private static int countChunks(MoveTestDatabase source) throws SQLException {
        try (Connection conn = source.connect()) {
            return new ChunkPlanner(64L * 1024 * 1024, 256L * 1024 * 1024, 2).plan(conn, Inventory.read(conn).tables()).size();
        }
    }

    private static List<String> move(String source, String target) {
        return List.of("db", "move", "--source", source, "--target", target, "--threads", "2", "--yes");
    }

    private static List<String> withArgs(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
