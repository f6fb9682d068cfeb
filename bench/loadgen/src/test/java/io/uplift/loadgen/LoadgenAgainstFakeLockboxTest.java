package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real HTTP client, schedule and report against a Lockbox stand-in on 127.0.0.1 that goes
 * through an upgrade's phases: serving 1.0, writes refused for maintenance, stopped (connection
 * refused), serving 3.0. The windows the report gives must match the phases the test caused.
 */
class LoadgenAgainstFakeLockboxTest {
    private static final String TOKEN = "lbx-test-token";
    private static final long PHASE_DEADLINE_MILLIS = 20_000;
    private static final long SETUP_MILLIS = 200;

    @TempDir
    Path dir;

    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRunner() {
        runner.shutdownNow();
    }

    private Options options(int port, Duration duration, Path report) {
        return new Options(URI.create("http://127.0.0.1:" + port + "/"), TOKEN, 100, 0.3, 8, duration, null, report,
                true, Duration.ofSeconds(20));
    }

    /** Polls until the condition holds, failing the test at the deadline. */
    private static void awaitAtLeast(long wanted, LongSupplier count, String what) throws InterruptedException {
        long giveUpAt = System.currentTimeMillis() + PHASE_DEADLINE_MILLIS;
        while (count.getAsLong() < wanted) {
            if (System.currentTimeMillis() > giveUpAt) {
                throw new AssertionError("only " + count.getAsLong() + " of " + wanted + " " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theWindowsOfTheReportAreThoseOfTheServicesPhases() throws Exception {
        Path reportFile = dir.resolve("report.json");
        try (FakeLockbox lockbox = FakeLockbox.start(TOKEN, "1.0")) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            LoadgenRun run = new LoadgenRun(options(lockbox.port(), Duration.ofMinutes(5), reportFile), Clock.systemUTC(),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            AvailabilityLog log = run.log();
            Future<Report> running = runner.submit(run::run);

            awaitAtLeast(10, () -> log.countSince(0, Operation.WRITE_SECRET, Cause.OK), "secret writes at 1.0");
            long maintenanceOn = System.currentTimeMillis();
            lockbox.maintenance(true);
            long maintenanceSet = System.currentTimeMillis();
            awaitAtLeast(10, () -> log.countSince(maintenanceOn, Operation.WRITE_SECRET, Cause.MAINTENANCE)
                    + log.countSince(maintenanceOn, Operation.WRITE_EVENT, Cause.MAINTENANCE), "writes refused");
            awaitAtLeast(10, () -> log.countSince(maintenanceOn, Operation.LIST_THREATS, Cause.OK)
                    + log.countSince(maintenanceOn, Operation.LIST_EVENTS, Cause.OK), "reads in maintenance");
            long stopped = System.currentTimeMillis();
            lockbox.stop();
            long stopDone = System.currentTimeMillis(); // the old server answers until stop() returns
            awaitAtLeast(10, () -> log.countSince(stopped, Operation.HEALTH, Cause.CONNECTION_REFUSED)
                    + log.countSince(stopped, Operation.LIST_THREATS, Cause.CONNECTION_REFUSED)
                    + log.countSince(stopped, Operation.LIST_EVENTS, Cause.CONNECTION_REFUSED), "refused connections");
            long restarted = System.currentTimeMillis();
            lockbox.restart("3.0");
            awaitAtLeast(10, () -> log.countSince(restarted, Operation.WRITE_SECRET, Cause.OK), "secret writes at 3.0");
            awaitAtLeast(3, () -> log.countSince(restarted, Operation.HEALTH, Cause.OK), "health answers at 3.0");
            run.requestStop();
            Report report = running.get(60, TimeUnit.SECONDS);

            assertThat(report.settings().stoppedBy()).isEqualTo("signal");
            assertThat(report.counts().refusedForMaintenance()).isGreaterThanOrEqualTo(10);
            assertThat(report.counts().failedByCause()).containsKey(Cause.CONNECTION_REFUSED)
                    .doesNotContainKeys(Cause.UNAUTHORIZED, Cause.UNEXPECTED_BODY, Cause.NOT_FOUND);

            // Reads failed only while the service was stopped: the longest window without a
            // successful read starts before the stop and ends after the restart, no wider than the
            // stop by more than the pace of the reads (5 s of slack: a CI machine under load). SETUP_MILLIS: an outcome's instant is taken
            // just before the client connects, so a request stamped a few ms before the restart may
            // reach the new server.
            Window readOutage = report.longestWithoutSuccessfulRead();
            assertThat(readOutage.start()).isBetween(stopped - 1_000, stopDone);
            assertThat(readOutage.end()).isBetween(restarted - SETUP_MILLIS, restarted + 5_000);
            assertThat(report.readOutages()).allSatisfy(gap ->
                    assertThat(gap.window().end()).isGreaterThan(stopped));

            // Writes froze from maintenance to the restart.
            OutageGap freeze = report.writeFreeze().orElseThrow();
            assertThat(freeze.window().start()).isBetween(maintenanceOn - 1_000, maintenanceSet);
            assertThat(freeze.window().end()).isBetween(restarted - SETUP_MILLIS, restarted + 5_000);
            assertThat(freeze.unsuccessfulSpan().start()).isGreaterThanOrEqualTo(maintenanceOn - 500);

            assertThat(report.versions()).extracting(VersionWindow::version).containsExactly("1.0", "3.0");
            assertThat(report.versions().get(0).lastSeen()).isLessThanOrEqualTo(stopDone);
            assertThat(report.versions().get(1).firstSeen()).isGreaterThanOrEqualTo(restarted - SETUP_MILLIS);

            assertThat(report.secrets().acknowledged()).isGreaterThanOrEqualTo(20);
            assertThat(report.secrets().verified()).isEqualTo(report.secrets().acknowledged());
            assertThat(report.exitCode()).isZero();

            JsonNode json = new ObjectMapper().readTree(reportFile.toFile());
            assertThat(json.at("/passed").asBoolean()).isTrue();
            assertThat(json.at("/requests/failedByCause/connection_refused").asLong()).isPositive();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Result: PASS").doesNotContain(TOKEN);
        }
    }

    @Test
    void aWriteTheServiceAcknowledgedButLostFailsTheCheck() throws Exception {
        try (FakeLockbox lockbox = FakeLockbox.start(TOKEN, "1.0")) {
            lockbox.loseEveryNthWrite(3);
            LoadgenRun run = new LoadgenRun(options(lockbox.port(), Duration.ofMinutes(5), null), Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Future<Report> running = runner.submit(run::run);
            awaitAtLeast(10, () -> run.log().countSince(0, Operation.WRITE_SECRET, Cause.OK), "secret writes");
            run.requestStop();
            Report report = running.get(60, TimeUnit.SECONDS);

            assertThat(report.secrets().missing()).isPositive();
            assertThat(report.secrets().missing() + report.secrets().verified())
                    .isEqualTo(report.secrets().acknowledged());
            assertThat(report.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aWrongTokenIsCountedAs401AndNoWriteIsAcknowledged() throws Exception {
        try (FakeLockbox lockbox = FakeLockbox.start("another-token", "1.0")) {
            LoadgenRun run = new LoadgenRun(options(lockbox.port(), Duration.ofMinutes(5), null), Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Future<Report> running = runner.submit(run::run);
            awaitAtLeast(20, () -> run.log().count(Cause.UNAUTHORIZED), "401 answers");
            run.requestStop();
            Report report = running.get(60, TimeUnit.SECONDS);

            assertThat(report.counts().failedByCause().get(Cause.UNAUTHORIZED)).isGreaterThanOrEqualTo(20);
            // Only /health (which needs no token) may succeed; whether one ran before the stop depends on timing.
            assertThat(report.counts().succeededByOperation().keySet()).isSubsetOf(Operation.HEALTH);
            assertThat(report.secrets().acknowledged()).isZero();
        }
    }

    @Test
    void withBalanceARequestANodeRefusesGoesToTheNextAndIsNoFailure() throws Exception {
        int deadPort;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = closed.getLocalPort(); // closed again at once: connecting to it is refused
        }
        try (FakeLockbox lockbox = FakeLockbox.start(TOKEN, "1.0")) {
            Options balanced = new Options(java.util.List.of(URI.create("http://127.0.0.1:" + deadPort), URI.create("http://127.0.0.1:" + lockbox.port())),
                    TOKEN, 100, 0.3, 8, Duration.ofMinutes(5), null, null, true, Duration.ofSeconds(20), true);
            LoadgenRun run = new LoadgenRun(balanced, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Future<Report> running = runner.submit(run::run);
            awaitAtLeast(20, () -> run.log().countSince(0, Operation.WRITE_SECRET, Cause.OK), "secret writes through the live node");
            run.requestStop();
            Report report = running.get(60, TimeUnit.SECONDS);

            assertThat(report.counts().failed()).as("failures after rerouting").isZero();
            assertThat(report.counts().failedByCause()).containsKey(Cause.REROUTED).doesNotContainKey(Cause.CONNECTION_REFUSED);
            NodeReport dead = report.nodes().get(0);
            assertThat(dead.counts().succeeded()).isZero();
            assertThat(dead.writeFreeze()).as("the dead node's own window shows it never took a write").isPresent();
            assertThat(report.nodes().get(1).counts().failed()).isZero();
            assertThat(report.secrets().lost()).isZero();
            assertThat(report.secrets().acknowledged()).isPositive();
        }
    }

    @Test
    void withoutBalanceTheSameRefusalsAreFailures() throws Exception {
        int deadPort;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = closed.getLocalPort();
        }
        try (FakeLockbox lockbox = FakeLockbox.start(TOKEN, "1.0")) {
            Options plain = new Options(java.util.List.of(URI.create("http://127.0.0.1:" + deadPort), URI.create("http://127.0.0.1:" + lockbox.port())),
                    TOKEN, 100, 0.3, 8, Duration.ofMinutes(5), null, null, true, Duration.ofSeconds(20), false);
            LoadgenRun run = new LoadgenRun(plain, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Future<Report> running = runner.submit(run::run);
            awaitAtLeast(20, () -> run.log().countSince(0, Operation.WRITE_SECRET, Cause.OK), "secret writes through the live node");
            run.requestStop();
            Report report = running.get(60, TimeUnit.SECONDS);

            assertThat(report.counts().failedByCause().get(Cause.CONNECTION_REFUSED)).isPositive();
            assertThat(report.counts().failedByCause()).doesNotContainKey(Cause.REROUTED);
        }
    }
}
