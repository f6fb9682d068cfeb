package io.uplift.dbmove;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * 'uplift ...' as a separate JVM, as an operator runs it: no terminal, output captured in files.
 * {@link #killHard()} is SIGKILL for the JVM and the PostgreSQL tools it runs (pg_dump, psql,
 * pg_restore), as when the machine or its container dies.
 */
final class UpliftChild {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String commandLine;
    private final long startedNanos = System.nanoTime();

    private UpliftChild(Process process, Path out, Path err, String commandLine) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.commandLine = commandLine;
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static UpliftChild start(Path workDir, List<String> args) {
        Path tmp = workDir.resolve("tmp"); // what a killed run leaves in its temporary folder stays in the test's folder
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + tmp,
                "-Duplift.distribution=" + System.getProperty("uplift.distribution", "."),
                "-Duplift.pg.binaries=" + System.getProperty("uplift.pg.binaries", ""),
                "io.uplift.cli.Main"));
        command.addAll(args);
        try {
            Files.createDirectories(tmp);
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("UPLIFT_HOME");
            Process p = pb.start();
            p.getOutputStream().close();
            return new UpliftChild(p, out, err, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(Path workDir, List<String> args, Duration timeout) {
        return start(workDir, args).awaitExit(timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Whether the process ended by itself within {@code timeout}. */
    boolean exitsWithin(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result awaitExit(Duration timeout) {
        if (!exitsWithin(timeout)) {
            killHard();
            throw new AssertionError("'uplift " + commandLine + "' did not finish within " + timeout.toSeconds() + " s and was killed\n"
                    + result(-1));
        }
        return result(process.exitValue());
    }

    /** SIGKILL to the JVM and to every process it started, then waits until they are gone. */
    void killHard() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        exitsWithin(Duration.ofSeconds(30));
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Polls until {@code condition} holds; fails if the process ends first or time runs out. */
    void awaitWhileRunning(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("'uplift " + commandLine + "' ended before " + what + "\n" + result(process.exitValue()));
            }
            if (System.nanoTime() > deadline) {
                killHard();
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s\n" + result(-1));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    Result result(int exit) {
        return new Result(exit, read(out), read(err));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
