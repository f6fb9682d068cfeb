package io.uplift.testsupport;

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
 * The uplift command line as a separate JVM, the way an operator runs it: no terminal (standard
 * input at end of file), its own pid for real signals, standard output and error captured in files
 * that can be read while it runs. It runs in {@code workDir}, and its temporary files go to
 * {@code workDir/tmp}, so whatever a killed run leaves behind stays in the test's folder.
 */
public final class UpliftJvm {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String commandLine;
    private final long startedNanos = System.nanoTime();

    private UpliftJvm(Process process, Path out, Path err, String commandLine) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.commandLine = commandLine;
    }

    /** What a finished (or killed: exit -1) command printed. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Starts a command; {@code env} adds to the inherited environment (e.g. a fault knob). */
    public static UpliftJvm start(Path workDir, Map<String, String> env, List<String> args) {
        Path tmp = workDir.resolve("tmp");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Djava.io.tmpdir=" + tmp,
                "-Duplift.distribution=" + System.getProperty("uplift.distribution", "."),
                "-Duplift.pg.binaries=" + System.getProperty("uplift.pg.binaries", ""),
                "io.uplift.cli.Main"));
        command.addAll(args);
        try {
            Files.createDirectories(tmp);
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().remove("UPLIFT_TEST_HOLD_AT");
            pb.environment().remove("UPLIFT_HOME");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close(); // no terminal and no answer
            return new UpliftJvm(p, out, err, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static UpliftJvm start(Path workDir, Map<String, String> env, String... args) {
        return start(workDir, env, List.of(args));
    }

    /** Runs a command to its end; one still running after {@code timeout} is killed and the test fails. */
    public static Result run(Path workDir, Duration timeout, List<String> args) {
        return start(workDir, Map.of(), args).awaitExit(timeout);
    }

    public static Result run(Path workDir, Duration timeout, String... args) {
        return run(workDir, timeout, List.of(args));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public String out() {
        return read(out);
    }

    public String err() {
        return read(err);
    }

    /** What it printed so far, with {@code exit} (-1 while it runs). */
    public Result result(int exit) {
        return new Result(exit, out(), err());
    }

    /** Sends a signal by name (INT, TERM, KILL) to this process only, as kill(1) does. */
    public void signal(String name) {
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

    public boolean exitsWithin(Duration timeout) {
        try {
            return process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the end; a command still running after {@code timeout} is killed and the test fails. */
    public Result awaitExit(Duration timeout) {
        if (!exitsWithin(timeout)) {
            kill();
            throw new AssertionError("'uplift " + commandLine + "' did not finish within " + timeout.toSeconds() + " s and was killed\n"
                    + result(-1));
        }
        return result(process.exitValue());
    }

    /** SIGKILL to the JVM and to every process it started (pg_dump, psql...), then waits until they are gone. */
    public void kill() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        exitsWithin(Duration.ofSeconds(30));
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Polls {@code condition} every 20 ms; fails (killing the process) if it ends first or the time runs out. */
    public void awaitWhileRunning(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("'uplift " + commandLine + "' ended before " + what + "\n" + result(process.exitValue()));
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s\n" + result(-1));
            }
            sleep(20);
        }
    }

    /** Waits until standard error contains {@code text}; false if the process ends first or the time runs out. */
    public boolean awaitErr(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!err().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return err().contains(text);
            }
            sleep(10);
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
