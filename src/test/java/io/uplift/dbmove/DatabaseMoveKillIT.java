package io.uplift.dbmove;

import io.uplift.testsupport.UpliftJvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, acceptance 2: the move, run as the command line in its own JVM, killed with SIGKILL at 10
 * random instants (seeded; the seed is printed, rerun with -Duplift.test.seed=N) and resumed each
 * time, the resumes killed in turn, ends with the source's data and a passed validation. After every
 * kill, each chunk is either entirely on the target and recorded as done, or not there at all.
 */
class DatabaseMoveKillIT {
    private static final int KILLS = 10;
    private static final int THREADS = 4;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern ROWS = Pattern.compile("- rows: (\\d+) of (\\d+) chunks");
    private static final Pattern MID_COPY = Pattern.compile("in 'rows: [1-9]\\d* of");

    @TempDir
    Path work;

    @Test
    void aMoveKilledTenTimesAndResumedEachTimeEndsWithIdenticalData() throws Exception {
        long seed = Long.getLong("uplift.test.seed", System.nanoTime());
        System.out.println("[DatabaseMoveKillIT] seed " + seed + " (rerun with -Duplift.test.seed=" + seed + ")");
        Random random = new Random(seed);
        MoveTestDatabase source = MoveTestDatabase.on10();
        SplitSource.create(source);
        Map<String, String> sourceSums = TableChecksums.of(source);
        List<String> sourceExtras = SplitSource.extras(source);
        List<Chunk> plan = planOf(source);
        Map<String, Long> sourceCounts = countsPerChunk(source, plan);
        assertThat(plan.size()).as("the big table is split").isGreaterThan(sourceSums.size());

        // An uninterrupted run, for how long a move and its row copy take (the kill instants fall inside them).
        MoveTestDatabase reference = MoveTestDatabase.on16();
        UpliftJvm first = UpliftJvm.start(work, Map.of(), move(source, reference, false));
        Map<String, Long> phases = phaseTimes(first);
        UpliftJvm.Result whole = first.awaitExit(RUN_TIMEOUT);
        long full = first.age().toMillis();
        assertThat(whole.exit()).as(whole.toString()).isZero();
        assertThat(whole.out()).contains("Validation passed");
        // Only the early builder prints these lines (when a build ends, which may be after the post-data phase began).
        assertThat(whole.out()).as("each table's own indexes built by the early builder").contains("indexes and constraints of big built");
        assertThat(TableChecksums.of(reference)).isEqualTo(sourceSums);
        long rowsStart = phases.getOrDefault("rows", 0L);
        long rows = Math.max(200, phases.getOrDefault("sequences", full) - rowsStart);
        System.out.printf("[DatabaseMoveKillIT] an uninterrupted move takes %d ms, its rows phase %d ms (phases at %s)%n", full, rows, phases);

        MoveTestDatabase target = MoveTestDatabase.on16();
        boolean resume = false;
        int kills = 0;
        List<String> log = new ArrayList<>();
        while (kills < KILLS) {
            UpliftJvm child = UpliftJvm.start(work, Map.of(), move(source, target, resume));
            // Every other instant falls anywhere in the run, the others into what is left of its row copy, the phase
            // where a kill can tear a chunk; when no chunk is left to copy, anywhere in what remains.
            boolean inRows = kills % 2 == 1;
            long delay = (long) (full * (0.05 + 0.9 * random.nextDouble()));
            boolean ended = false;
            if (inRows) {
                ended = !awaitOutput(child, " chunks of ");
                Matcher m = ROWS.matcher(child.result(-1).out());
                if (!ended && m.find() && Integer.parseInt(m.group(1)) > 0) {
                    delay = (long) (0.8 * rows * Integer.parseInt(m.group(1)) / Integer.parseInt(m.group(2)) * random.nextDouble());
                } else {
                    delay = (long) (full * 0.9 * random.nextDouble());
                    inRows = false;
                }
            }
            if (ended || child.exitsWithin(Duration.ofMillis(delay))) {
                UpliftJvm.Result r = child.awaitExit(RUN_TIMEOUT);
                assertThat(r.exit()).as("a run that was not killed, after " + log + "\n" + r).isZero();
                assertThat(TableChecksums.of(target)).isEqualTo(sourceSums);
                log.add("finished before " + (inRows ? "rows + " : "") + delay + " ms");
                target = MoveTestDatabase.on16(); // the next kills go into a new move
                resume = false;
                continue;
            }
            String lastPhase = lastPhase(child.result(-1).out());
            long age = child.age().toMillis();
            child.kill();
            kills++;
            log.add("killed at " + age + " ms" + (inRows ? " (rows + " + delay + " ms)" : "") + " in '" + lastPhase + "'");
            int recorded = assertEveryChunkWholeOrAbsent(target, plan, sourceCounts, log);
            log.set(log.size() - 1, log.get(log.size() - 1) + ", " + recorded + " chunks recorded as done");
            resume = true;
        }
        UpliftJvm.Result last = UpliftJvm.run(work, RUN_TIMEOUT, move(source, target, true));
        log.forEach(l -> System.out.println("[DatabaseMoveKillIT] " + l));
        last.out().lines().forEach(l -> System.out.println("[DatabaseMoveKillIT] final resume: " + l));

        assertThat(last.exit()).as(last.toString()).isZero();
        assertThat(last.out()).contains("Validation passed");
        assertThat(TableChecksums.of(target)).isEqualTo(sourceSums);
        assertThat(SplitSource.extras(target)).isEqualTo(sourceExtras);
        assertThat(target.hasMoveRecords()).isFalse();
        assertThat(log.stream().filter(l -> MID_COPY.matcher(l).find())).as("kills in the middle of the row copy").hasSizeGreaterThanOrEqualTo(2);
    }

    /** When each phase line ("- rows: ...") first appeared, in ms since the start, by its first word. */
    private static Map<String, Long> phaseTimes(UpliftJvm child) throws InterruptedException {
        Map<String, Long> times = new LinkedHashMap<>();
        while (child.isAlive()) {
            for (String line : child.result(-1).out().split("\n")) {
                if (line.startsWith("- ")) {
                    times.putIfAbsent(line.substring(2).split("[ :]")[0], child.age().toMillis());
                }
            }
            Thread.sleep(20);
        }
        return times;
    }

    /** Waits until the run prints {@code text}; false if it ends first. */
    private static boolean awaitOutput(UpliftJvm child, String text) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!child.result(-1).out().contains(text)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static List<String> move(MoveTestDatabase source, MoveTestDatabase target, boolean resume) {
        List<String> args = new ArrayList<>(List.of("db", "move", "--source", source.url(), "--target", target.url(),
                "--threads", Integer.toString(THREADS), "--yes"));
        if (resume) {
            args.add("--resume");
        }
        return args;
    }

    /** The chunks the move plans for this source (the same planner and thresholds as DatabaseMove). */
    private static List<Chunk> planOf(MoveTestDatabase source) throws SQLException {
        try (Connection conn = source.connect()) {
            return new ChunkPlanner(64L * 1024 * 1024, 256L * 1024 * 1024, THREADS).plan(conn, Inventory.read(conn).tables());
        }
    }

    private static Map<String, Long> countsPerChunk(MoveTestDatabase db, List<Chunk> plan) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection conn = db.connect()) {
            for (Chunk c : plan) {
                counts.put(c.id(), MoveTestDatabase.longOf(conn, "SELECT count(*) FROM " + c.table().qualified()
                        + (c.range().isEmpty() ? "" : " WHERE " + c.range())));
            }
        }
        return counts;
    }

    /**
     * In one snapshot of the target: a chunk recorded as done has all its rows there, with the
     * recorded count; a chunk not recorded has none.
     */
    private static int assertEveryChunkWholeOrAbsent(MoveTestDatabase target, List<Chunk> plan, Map<String, Long> sourceCounts,
            List<String> log) throws SQLException {
        try (Connection conn = target.connect(); Statement st = conn.createStatement()) {
            conn.setAutoCommit(false);
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            boolean records = MoveTestDatabase.longOf(conn, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('uplift_move.chunk')") > 0;
            if (!records) {
                conn.rollback();
                return 0; // killed before the move created its records, or after it validated and dropped them
            }
            Map<String, Long> recorded = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, rows FROM uplift_move.chunk")) {
                while (rs.next()) {
                    recorded.put(rs.getString(1), rs.getLong(2));
                }
            }
            List<String> planned = plan.stream().map(Chunk::id).toList();
            assertThat(planned).as("recorded chunks are chunks of the plan; " + log).containsAll(recorded.keySet());
            for (Chunk c : plan) {
                boolean exists = MoveTestDatabase.longOf(conn, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('"
                        + c.table().qualified().replace("'", "''") + "')") > 0;
                if (!exists) {
                    assertThat(recorded).as("no table, no chunk done; " + log).doesNotContainKey(c.id());
                    continue;
                }
                long rows = MoveTestDatabase.longOf(conn, "SELECT count(*) FROM " + c.table().qualified()
                        + (c.range().isEmpty() ? "" : " WHERE " + c.range()));
                if (recorded.containsKey(c.id())) {
                    assertThat(rows).as(c.id() + " recorded as done; " + log).isEqualTo(sourceCounts.get(c.id()))
                            .isEqualTo(recorded.get(c.id()));
                } else {
                    assertThat(rows).as(c.id() + " not recorded, so none of its rows; " + log).isZero();
                }
            }
            conn.rollback();
            return recorded.size();
        }
    }

    private static String lastPhase(String out) {
        String phase = "starting";
        for (String line : out.split("\n")) {
            if (line.startsWith("- ")) {
                phase = line.substring(2).strip();
            }
        }
        return phase;
    }
}
