package io.uplift.upgrade.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The uplift command line as a separate JVM, the way an operator runs it: no terminal, its own pid
 * to send signals to, standard output and error captured in files (read while it runs).
 */
final class UpliftProcess {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final Path out;
    private final Path err;
    private final String commandLine;

    private UpliftProcess(Process process, Path out, Path err, String commandLine) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.commandLine = commandLine;
    }

    /** What a finished command did. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs a command to its end (at most three minutes). */
    static Result run(Path workDir, String... args) {
        return start(workDir, Map.of(), args).awaitExit(COMMAND_TIMEOUT);
    }

    /** Starts a command; {@code env} adds to the inherited environment (the fault knob). */
    static UpliftProcess start(Path workDir, Map<String, String> env, String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath,
                "-Duplift.distribution=" + System.getProperty("uplift.distribution"),
                "-Duplift.pg.binaries=" + System.getProperty("uplift.pg.binaries"),
                "io.uplift.cli.Main"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().remove("UPLIFT_TEST_HOLD_AT");
            pb.environment().remove("UPLIFT_HOME");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close(); // no terminal and no answer: stdin at end of file
            return new UpliftProcess(p, out, err, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    /** Sends a signal by name (INT, TERM, KILL) to this process only, as kill(1) does. */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the end; a command still running after {@code timeout} is killed and the test fails. */
    Result awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("'uplift " + commandLine + "' did not finish within " + timeout.toSeconds()
                        + " s and was killed\n--- out\n" + out() + "--- err\n" + err());
            }
            return new Result(process.exitValue(), out(), err());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the process exited within {@code timeout}. */
    boolean exitsWithin(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, then waits until the process is gone; for tests and clean-up. */
    void kill() {
        process.destroyForcibly();
        exitsWithin(Duration.ofSeconds(30));
    }

    /**
     * Polls {@code condition} every 20 ms until it holds; fails if this process ends first or the
     * time runs out, showing what the process printed.
     */
    void awaitWhileRunning(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("'uplift " + commandLine + "' ended (exit " + process.exitValue() + ") before " + what
                        + "\n--- out\n" + out() + "--- err\n" + err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s\n--- out\n" + out() + "--- err\n" + err());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String read(Path file) {
        try {
            // Lenient decoding: the file may end in the middle of a character while the process writes.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
