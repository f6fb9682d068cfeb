package io.uplift.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run: drive the load until the stop condition, read every acknowledged secret back, then print
 * the summary and write the JSON report. The phases, in order: WARM-UP (one health call, not
 * counted: the JVM loads the HTTP client's classes then, not during the first measured second),
 * LOAD (requests on the schedule),
 * DRAIN (in-flight requests finish, bounded), VERIFY (read-back with a deadline), REPORT.
 */
public final class LoadgenRun {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 100;
    private static final long RETRY_PAUSE_MILLIS = 250;

    private final Options options;
    private final Clock clock;
    private final PrintStream out;
    private final StopCondition stop;
    private final AvailabilityLog log = new AvailabilityLog();

    public LoadgenRun(Options options, Clock clock, PrintStream out) {
        this.options = options;
        this.clock = clock;
        this.out = out;
        this.stop = new StopCondition(options.duration(), options.untilFile());
    }

    /** Asks the run to stop at its next poll (from a shutdown hook or a test). */
    public void requestStop() {
        stop.signal();
    }

    public AvailabilityLog log() {
        return log;
    }

    public Report run() throws InterruptedException, IOException {
        KnownSecrets known = new KnownSecrets();
        NodeClients nodes = NodeClients.of(options.urls(), options.token(), CONNECT_TIMEOUT, REQUEST_TIMEOUT);
        String runTag = HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong())).substring(0, 8);
        LoadOperations operations = new LoadOperations(nodes, known, clock, runTag, options.balance() ? log::record : null);
        LoadDriver driver = new LoadDriver(operations::perform, new OperationMix(options.writeShare()), log, clock,
                options.rate(), options.workers());
        List<String> warmUp = new ArrayList<>();
        for (int i = 0; i < options.urls().size(); i++) { // each node once, in turn
            Outcome health = operations.perform(Operation.HEALTH);
            warmUp.add(health.succeeded() ? "version " + health.version() : health.cause().label());
        }
        progress("loadgen: %d requests/s against %s, %d workers, run %s; health before the load: %s%n",
                options.rate(), String.join(", ", nodes.urls()), options.workers(), runTag, String.join(", ", warmUp));
        long startMillis = clock.millis();
        stop.started(startMillis);
        driver.start();
        Optional<String> reason = stop.reason(clock.millis());
        while (reason.isEmpty()) {
            Thread.sleep(POLL_MILLIS); // the production loop's pace; the tests stop it with requestStop()
            reason = stop.reason(clock.millis());
        }
        long endMillis = clock.millis();
        progress("loadgen: stopped by %s; waiting for the requests in flight%n", reason.get());
        driver.stop(REQUEST_TIMEOUT.toMillis() + 1000);

        progress("loadgen: reading back %d acknowledged secrets (deadline %d s)%n", known.acknowledgedSecrets().size(),
                options.verifyDeadline().toSeconds());
        AckCheckResults check = new AckVerifier(operations, clock, Sleeper.REAL, options.verifyDeadline().toMillis(),
                RETRY_PAUSE_MILLIS).verifyByNode(known.acknowledgedSecrets());

        RunSettings settings = RunSettings.of(nodes.urls(), options.rate(), options.writeShare(),
                options.workers(), reason.get());
        Report report = Report.of(settings, log.snapshot(), startMillis, endMillis, check, known.acknowledgedEvents());
        out.print(Summary.of(report));
        if (options.report() != null) {
            writeAtomically(options.report(), ReportJson.write(report));
        }
        out.flush();
        return report;
    }

    private void progress(String format, Object... args) {
        if (!options.quiet()) {
            out.printf(format, args);
        }
    }

    /** Written beside, then moved: a script waiting for the report never reads half of it. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] longBytes(long n) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (n >>> (8 * i));
        }
        return bytes;
    }
}
