package io.uplift.upgrade.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.Uplift;
import io.uplift.journal.HomeLock;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The crash test of issue 3: the upgrade of a Lockbox 1.0 demo (2,000 events, real PostgreSQL 10)
 * to 2.1 runs in a separate JVM that is killed with SIGKILL at every step boundary and at random
 * instants; then 'uplift resume' must end exactly like an uninterrupted upgrade, and 'uplift
 * rollback' exactly like the installation before it: every table's rows, the schema, Flyway's
 * version, the program files, the node data, the node-local files and the recorded state.
 *
 * <p>The installation lives at one path W; a stopped copy T is the starting point of every
 * scenario (W is deleted and copied back from T, so the recorded port and data folder stay valid).
 * Environment: UPLIFT_CRASH_SEED fixes the random instants; UPLIFT_CRASH_RANDOM sets how many per
 * mode land inside the steps (default 6: every step boundary is killed anyway; 20 or more for a deeper run
 * than CI has time for), UPLIFT_CRASH_EARLY how many before the first step (default
 * 2); UPLIFT_CRASH_POINTS (a regular expression) keeps only the matching step boundaries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "2.1";
    private static final long HOLD_TIMEOUT_SECONDS = 120;

    private enum Mode { RESUME, ROLLBACK }

    private static UpliftProcess.Launcher uplift;
    private static Path work;
    private static Path template;
    private static List<String> stepIds;
    private static InstallationFingerprint beforeUpgrade;
    private static InstallationFingerprint afterUpgrade;
    private static Map<String, String> nodeLocalFiles;
    private static long referenceMillis;
    /** In the reference run: from the start of the process to its first step, and from there to the end. */
    private static long referencePreStepsMillis;
    private static long referenceStepsMillis;
    private static final Map<String, Tally> TALLIES = new LinkedHashMap<>();
    /** Where the random kills landed, from the journal they left: "in STEP", "after STEP", "no journal". */
    private static final Map<String, Integer> LANDED = new TreeMap<>();

    /** Kill points tried and passed in one family of scenarios. */
    private static final class Tally {
        int tried;
        int passed;
        int nothingInProgress;
        long millis;
    }

    @BeforeAll
    static void prepareTemplateAndReferenceRun() throws Exception {
        Path base = TestPostgres.newTraversableTempDir();
        work = base.resolve("lockbox");
        template = base.resolve("lockbox-template");
        long t0 = System.nanoTime();
        uplift = UpliftProcess.Launcher.snapshot(base.resolve("launcher"));
        // The demo run records the classes it loads; later runs map them (class data sharing) and start faster.
        Path classes = base.resolve("launcher/uplift.jsa");
        expectExit(0, uplift.withOption("-XX:ArchiveClassesAtExit=" + classes)
                .run("demo", "--prepare-only", "--home", work.toString(), "--events", "2000", "--seed", "7"), "demo");
        if (Files.exists(classes)) {
            uplift = uplift.withOption("-XX:SharedArchiveFile=" + classes);
        }
        // The product runs before an upgrade, as in production (the demo leaves it stopped): the
        // upgrade stops it, and a rollback must leave it running again.
        expectExit(0, shell(work, work.resolve("app/bin/lockbox").toString(), "start"), "lockbox start");
        UpliftProcess.Result plan = uplift.run("plan", "--to", TARGET, "--home", work.toString(), "--json");
        expectExit(0, plan, "plan");
        stepIds = new ArrayList<>();
        JSON.readTree(plan.out()).get("hops").forEach(h -> h.get("steps").forEach(s -> stepIds.add(s.get("id").asText())));
        assertThat(stepIds).as("the plan 1.0 -> 2.1").hasSizeGreaterThan(10).first().isEqualTo("1.1/checks");
        assertThat(stepIds).last().isEqualTo("2.1/maintenance-off");
        beforeUpgrade = InstallationFingerprint.of(work);
        nodeLocalFiles = InstallationFingerprint.nodeLocal(work);
        stopServer();
        expectExit(0, shell(base, "cp", "-a", work.toString(), template.toString()), "cp -a");

        freshCopy();
        UpliftProcess run = uplift.start(null, "upgrade", "--to", TARGET, "--home", work.toString(), "--yes");
        long firstStep = run.awaitOutput(stepIds.get(0) + " ", UpliftProcess.TIMEOUT_SECONDS);
        UpliftProcess.Result reference = run.await();
        expectExit(0, reference, "the uninterrupted reference upgrade");
        assertThat(firstStep).as("the reference run shows its first step").isPositive();
        referenceMillis = reference.millis();
        referencePreStepsMillis = (firstStep - run.startNanos()) / 1_000_000;
        referenceStepsMillis = referenceMillis - referencePreStepsMillis;
        afterUpgrade = InstallationFingerprint.of(work);
        List<String> sound = checkEnd(afterUpgrade, true);
        assertThat(sound).as("the reference upgrade itself ends clean").isEmpty();
        assertThat(afterUpgrade.facets().get("state version")).isEqualTo(TARGET);
        assertThat(afterUpgrade.differencesFrom(beforeUpgrade)).as("the upgrade changes the installation").isNotEmpty();
        stopServer();
        System.out.printf("[crash] plan 1.0 -> %s: %d steps; reference upgrade %d ms (%d ms to the first step, %d ms of steps); set-up %.1f s%n",
                TARGET, stepIds.size(), referenceMillis, referencePreStepsMillis, referenceStepsMillis, (System.nanoTime() - t0) / 1e9);
        System.out.println("[crash] fingerprint before the upgrade: " + beforeUpgrade.facets().keySet());
    }

    @AfterAll
    static void stopTheServerAndPrintTheFigures() {
        if (work != null && Files.isDirectory(work)) {
            try {
                stopServer();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("[crash] could not stop the server of " + work + ": " + e);
            }
        }
        int tried = 0;
        int passed = 0;
        long millis = 0;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Tally> e : TALLIES.entrySet()) {
            Tally t = e.getValue();
            tried += t.tried;
            passed += t.passed;
            millis += t.millis;
            line.append(String.format("; %s %d/%d passed (%d of them found nothing in progress) in %.0f s", e.getKey(), t.passed, t.tried,
                    t.nothingInProgress, t.millis / 1000.0));
        }
        System.out.printf("[crash] SUMMARY: %d kill points tried, %d passed, %.0f s%s%n", tried, passed, millis / 1000.0, line);
        System.out.println("[crash] random kills landed: " + LANDED);
    }

    @Test
    @Order(1)
    void aKillAtEveryStepBoundaryThenResumeEndsExactlyLikeAnUninterruptedUpgrade() {
        List<String> failures = new ArrayList<>();
        for (String hold : boundaries()) {
            failures.addAll(boundaryScenario(hold, Mode.RESUME));
        }
        assertThat(failures).as("kill at a step boundary, then resume").isEmpty();
    }

    @Test
    @Order(2)
    void aKillAtEveryStepBoundaryThenRollbackEndsExactlyAsBeforeTheUpgrade() {
        List<String> failures = new ArrayList<>();
        for (String hold : boundaries()) {
            failures.addAll(boundaryScenario(hold, Mode.ROLLBACK));
        }
        assertThat(failures).as("kill at a step boundary, then rollback").isEmpty();
    }

    @Test
    @Order(3)
    void aKillAtRandomInstantsThenResumeOrRollbackEndsInOneOfTheTwoKnownStates() {
        String seedEnv = System.getenv("UPLIFT_CRASH_SEED");
        long seed = seedEnv == null || seedEnv.isBlank() ? System.nanoTime() : Long.parseLong(seedEnv.trim());
        int perMode = intFromEnv("UPLIFT_CRASH_RANDOM", 6);
        int earlyPerMode = intFromEnv("UPLIFT_CRASH_EARLY", 2);
        System.out.printf("[crash] random kills: seed %d (UPLIFT_CRASH_SEED=%d repeats them); %d per mode inside the steps, at [0, %d) ms "
                + "after the first step began; %d per mode before it, at [0, %d) ms after the start%n", seed, seed, perMode,
                referenceStepsMillis, earlyPerMode, referencePreStepsMillis);
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        // A kill that comes after a faster-than-reference run ended finds nothing in progress: it is
        // checked like the others but does not count towards the kills under the journal.
        int[] underJournal = new int[Mode.values().length];
        for (int i = 0; (underJournal[0] < perMode || underJournal[1] < perMode) && i < 4 * perMode; i++) {
            Mode mode = underJournal[0] != underJournal[1] ? (underJournal[0] < underJournal[1] ? Mode.RESUME : Mode.ROLLBACK)
                    : i % 2 == 0 ? Mode.RESUME : Mode.ROLLBACK;
            if (randomScenario("random #" + i, true, (long) (random.nextDouble() * referenceStepsMillis), mode, failures)) {
                underJournal[mode.ordinal()]++;
            }
        }
        for (int i = 0; i < 2 * earlyPerMode; i++) {
            Mode mode = i % 2 == 0 ? Mode.RESUME : Mode.ROLLBACK;
            randomScenario("early #" + i, false, (long) (random.nextDouble() * referencePreStepsMillis), mode, failures);
        }
        System.out.printf("[crash] random kills under the journal: %d then resume, %d then rollback%n", underJournal[0], underJournal[1]);
        assertThat(failures).as("kill at a random instant (seed " + seed + "), then resume or rollback").isEmpty();
        assertThat(underJournal).as("random kills that hit the upgrade while its journal existed, resume and rollback")
                .containsExactly(perMode, perMode);
    }

    private static List<String> boundaries() {
        List<String> points = new ArrayList<>();
        stepIds.forEach(id -> points.add(id + ":before"));
        points.add(stepIds.get(stepIds.size() - 1) + ":after");
        String only = System.getenv("UPLIFT_CRASH_POINTS"); // a regular expression, to run a few points while debugging
        if (only != null && !only.isBlank()) {
            points.removeIf(p -> !p.matches(only.trim()));
            System.out.println("[crash] UPLIFT_CRASH_POINTS=" + only + ": only " + points);
        }
        return points;
    }

    private static List<String> boundaryScenario(String hold, Mode mode) {
        String label = "boundary " + mode.name().toLowerCase() + " " + hold;
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        try {
            freshCopy();
            UpliftProcess upgrade = uplift.start(hold, "upgrade", "--to", TARGET, "--home", work.toString(), "--yes");
            String held = upgrade.awaitHold(HOLD_TIMEOUT_SECONDS);
            if (!hold.equals(held)) {
                UpliftProcess.Result r = upgrade.isAlive() ? upgrade.kill() : upgrade.await();
                problems.add("the upgrade never parked at " + hold + ": " + r);
                return finish(label, "boundary-" + mode.name().toLowerCase(), t0, problems, false);
            }
            UpliftProcess.Result killed = upgrade.kill();
            if (killed.exit() != 137) {
                problems.add("SIGKILL should end the upgrade with 137: " + killed);
            }
            String state = statusUpgradeState(problems);
            if (!"interrupted".equals(state)) {
                problems.add("after the kill at " + hold + ", status should say 'interrupted' but says '" + state + "'");
            }
            UpliftProcess.Result r = uplift.run(mode.name().toLowerCase(), "--home", work.toString(), "--yes");
            boolean refused = mode == Mode.ROLLBACK && hold.equals(stepIds.get(stepIds.size() - 1) + ":after");
            if (refused) {
                // Maintenance ended with the last step: the product may have written, a restore would lose it (issue 13, item 1).
                r = resumeAfterRefusedRollback(r, problems);
            }
            if (r.exit() != 0) {
                problems.add(mode.name().toLowerCase() + " should exit 0: " + r);
            }
            problems.addAll(checkEnd(mode == Mode.RESUME || refused ? afterUpgrade : beforeUpgrade, true));
        } catch (RuntimeException | AssertionError e) {
            problems.add("unexpected: " + e);
        } finally {
            stopServerQuietly(problems);
        }
        return finish(label, "boundary-" + mode.name().toLowerCase(), t0, problems, false);
    }

    /**
     * Kills the upgrade {@code delayMillis} after its first step began ({@code inSteps}), or after
     * the process started; then resume or rollback, which must end in the state the journal implies.
     * Adds what went wrong to {@code failures}; returns whether the kill left a journal behind.
     */
    private static boolean randomScenario(String name, boolean inSteps, long delayMillis, Mode mode, List<String> failures) {
        String label = name + " " + mode.name().toLowerCase() + " at " + delayMillis + " ms after the " + (inSteps ? "first step" : "start");
        String family = (inSteps ? "random-" : "before-steps-") + mode.name().toLowerCase();
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        boolean nothing = false;
        boolean hadJournal = false;
        try {
            freshCopy();
            UpliftProcess upgrade = uplift.start(null, "upgrade", "--to", TARGET, "--home", work.toString(), "--yes");
            long from = upgrade.startNanos();
            if (inSteps) {
                from = upgrade.awaitOutput(stepIds.get(0) + " ", UpliftProcess.TIMEOUT_SECONDS);
                if (from < 0) {
                    UpliftProcess.Result r = upgrade.isAlive() ? upgrade.kill() : upgrade.await();
                    problems.add("the upgrade never began its first step: " + r);
                    failures.addAll(finish(label, family, t0, problems, false));
                    return false;
                }
            }
            long sleep = (from + delayMillis * 1_000_000 - System.nanoTime()) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            UpliftProcess.Result killed = upgrade.kill();
            if (killed.exit() != 137 && killed.exit() != 0) {
                problems.add("the upgrade should end killed (137) or done by itself (0): " + killed);
            }
            boolean journal = Files.exists(work.resolve(".uplift/journal.json"));
            hadJournal = journal;
            boolean finished = hasHistory();
            String landed = landedAt();
            label += " (" + landed + ")";
            if (inSteps) {
                LANDED.merge(landed, 1, Integer::sum);
            }
            String state = statusUpgradeState(problems);
            String expectedState = journal ? "interrupted" : "none";
            if (!expectedState.equals(state)) {
                problems.add("after the kill, with" + (journal ? "" : "out") + " a journal, status should say '" + expectedState
                        + "' but says '" + state + "'");
            }
            UpliftProcess.Result r = uplift.run(mode.name().toLowerCase(), "--home", work.toString(), "--yes");
            InstallationFingerprint expected;
            if (journal) {
                boolean refused = mode == Mode.ROLLBACK && r.exit() == 18 && landed.contains(stepIds.get(stepIds.size() - 1));
                if (refused) {
                    r = resumeAfterRefusedRollback(r, problems);
                }
                if (r.exit() != 0) {
                    problems.add(mode.name().toLowerCase() + " should exit 0: " + r);
                }
                expected = mode == Mode.RESUME || refused ? afterUpgrade : beforeUpgrade;
            } else {
                nothing = true;
                if (r.exit() != 21) {
                    problems.add("with no journal, " + mode.name().toLowerCase() + " should exit 21 (nothing in progress): " + r);
                }
                // No journal: the kill came before it was written (nothing changed) or after it was archived (all done).
                expected = finished ? afterUpgrade : beforeUpgrade;
            }
            // A kill just after the journal was archived may leave the staged/previous folders the engine was deleting.
            problems.addAll(checkEnd(expected, journal || !finished));
        } catch (RuntimeException | AssertionError e) {
            problems.add("unexpected: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        } finally {
            stopServerQuietly(problems);
        }
        failures.addAll(finish(label, family, t0, problems, nothing));
        return hadJournal;
    }

    private static List<String> finish(String label, String family, long t0, List<String> problems, boolean nothing) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Tally t = TALLIES.computeIfAbsent(family, k -> new Tally());
        t.tried++;
        t.millis += ms;
        if (problems.isEmpty()) {
            t.passed++;
            if (nothing) {
                t.nothingInProgress++;
            }
        }
        System.out.printf("[crash] %s %s%s (%.1f s)%n", problems.isEmpty() ? "PASS" : "FAIL", label,
                nothing ? " [nothing in progress]" : "", ms / 1000.0);
        List<String> out = new ArrayList<>();
        for (String p : problems) {
            System.out.println("[crash]     " + p);
            out.add(label + ": " + p);
        }
        return out;
    }

    /**
     * After resume or rollback: no journal, the lock free, status working and saying no upgrade is
     * under way, no staged or previous program folders, the node-local files as they were, and the
     * installation's fingerprint equal to {@code expected}.
     */
    private static List<String> checkEnd(InstallationFingerprint expected, boolean noLeftovers) {
        List<String> problems = new ArrayList<>();
        if (Files.exists(work.resolve(".uplift/journal.json"))) {
            problems.add(".uplift/journal.json is still there");
        }
        HomeLock.holder(work.resolve(".uplift/lock")).ifPresent(h -> problems.add("the home lock is still held by " + h));
        String state = statusUpgradeState(problems);
        if (!"none".equals(state)) {
            problems.add("status should report no upgrade ('none') but says '" + state + "'");
        }
        if (noLeftovers) {
            for (String dir : List.of(".uplift/staging", ".uplift/previous", "app.partial")) {
                if (Files.exists(work.resolve(dir))) {
                    problems.add(dir + " was left behind");
                }
            }
        }
        Map<String, String> nodeLocal = InstallationFingerprint.nodeLocal(work);
        if (!nodeLocal.equals(nodeLocalFiles)) {
            problems.add("node-local files differ from the template's: " + nodeLocal + " vs " + nodeLocalFiles);
        }
        InstallationFingerprint now = InstallationFingerprint.of(work);
        List<String> diff = now.differencesFrom(expected);
        if (!diff.isEmpty()) {
            problems.add("the installation differs from the " + (expected == afterUpgrade ? "uninterrupted upgrade" : "state before the upgrade")
                    + ":\n        " + String.join("\n        ", diff));
        }
        return problems;
    }

    /** 'uplift status --json' (a second command that must get through): its upgrade state. */
    private static String statusUpgradeState(List<String> problems) {
        UpliftProcess.Result status = uplift.run("status", "--home", work.toString(), "--json");
        if (status.exit() != 0) {
            problems.add("status should exit 0: " + status);
            return "(status failed)";
        }
        try {
            JsonNode s = JSON.readTree(status.out());
            return s.get("upgrade").get("state").asText();
        } catch (IOException e) {
            problems.add("status --json printed no JSON: " + status);
            return "(no json)";
        }
    }

    /** Where the kill hit, as the journal tells: the step it interrupted, or the last one done. */
    /**
     * A kill in or after the last step (maintenance-off) may leave a database that accepts changes
     * again: rollback must refuse (exit 18, saying why, nothing changed) and resume must finish.
     */
    private static UpliftProcess.Result resumeAfterRefusedRollback(UpliftProcess.Result rollback, List<String> problems) {
        if (rollback.exit() != 18 || !rollback.err().contains("Rollback refused")) {
            problems.add("after maintenance ended, rollback should refuse with exit 18: " + rollback);
        }
        return uplift.run("resume", "--home", work.toString(), "--yes");
    }

    private static String landedAt() {
        Path file = work.resolve(".uplift/journal.json");
        if (!Files.exists(file)) {
            return hasHistory() ? "after the end" : "no journal";
        }
        try {
            String lastDone = null;
            for (JsonNode step : JSON.readTree(file.toFile()).get("steps")) {
                String status = step.get("status").asText();
                if (!"DONE".equals(status) && !"PENDING".equals(status)) {
                    return "in " + step.get("id").asText();
                }
                if ("DONE".equals(status)) {
                    lastDone = step.get("id").asText();
                }
            }
            return lastDone == null ? "before the first step" : "after " + lastDone;
        } catch (IOException e) {
            return "unreadable journal: " + e.getMessage();
        }
    }

    private static int intFromEnv(String name, int otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.trim());
    }

    private static boolean hasHistory() {
        Path history = work.resolve(".uplift/history");
        if (!Files.isDirectory(history)) {
            return false;
        }
        try (Stream<Path> files = Files.list(history)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** W as the template: deleted and copied back with owners and modes (the data folder is the postgres user's). */
    private static void freshCopy() {
        if (Files.exists(work.resolve("db/pg10/postmaster.pid"))) {
            stopServer(); // a scenario that failed half-way may have left it running
        }
        expectExit(0, shell(work.getParent(), "rm", "-rf", work.toString()), "rm -rf");
        expectExit(0, shell(work.getParent(), "cp", "-a", template.toString(), work.toString()), "cp -a");
    }

    private static void stopServer() {
        expectExit(0, uplift.run("db", "stop", "--home", work.toString()), "db stop");
    }

    private static void stopServerQuietly(List<String> problems) {
        try {
            // In this JVM: the same code as 'uplift db stop' (pg_ctl stop), without starting one more JVM per scenario.
            Uplift.configure().home(work).load().stopDatabase();
        } catch (RuntimeException | AssertionError e) {
            problems.add("db stop failed: " + e.getMessage());
        }
    }

    private static UpliftProcess.Result shell(Path dir, String... command) {
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            return new UpliftProcess.Result(exit, out, "", (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expectExit(int code, UpliftProcess.Result r, String what) {
        if (r.exit() != code) {
            throw new AssertionError(what + " should exit " + code + ": " + r);
        }
    }
}
