package io.uplift.loadgen;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command line. On SIGTERM or SIGINT the shutdown hook asks the run to stop and waits for it to
 * finish its read-back and write the report; the process then ends with the signal's status, and the
 * report's "passed" tells the result.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(OptionsParser.USAGE);
            System.exit(0);
        }
        Options options;
        try {
            options = OptionsParser.parse(args);
        } catch (UsageException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
            return;
        }
        LoadgenRun run = new LoadgenRun(options, Clock.systemUTC(), System.out);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        long hookWaitMillis = options.verifyDeadline().toMillis() + 30_000;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signalled.set(true);
            run.requestStop();
            try {
                finished.await(hookWaitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadgen-stop"));
        int exitCode;
        try {
            exitCode = run.run().exitCode();
        } catch (IOException e) {
            System.err.println("loadgen: the report could not be written: " + e.getMessage()
                    + " (check that the --report folder exists and is writable)");
            exitCode = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = 1;
        } finally {
            finished.countDown();
        }
        if (!signalled.get()) {
            System.exit(exitCode);
        }
    }
}
