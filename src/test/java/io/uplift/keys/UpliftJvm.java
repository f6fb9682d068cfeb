package io.uplift.keys;

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

/**
 * 'uplift ...' in a JVM of its own, as an operator runs it: no terminal, output captured in files
 * that can be read while it runs, and SIGKILL ({@link #killHard()}) as when the machine dies.
 */
final class UpliftJvm {
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

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static UpliftJvm start(Path workDir, Map<String, String> env, String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath,
                "-Duplift.distribution=" + System.getProperty("uplift.distribution", "."),
                "-Duplift.pg.binaries=" + System.getProperty("uplift.pg.binaries", ""),
                "io.uplift.cli.Main"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("UPLIFT_HOME");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new UpliftJvm(p, out, err, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(Path workDir, Duration timeout, String... args) {
        return start(workDir, Map.of(), args).awaitExit(timeout);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    boolean exitsWithin(Duration timeout) {
        try {
            return process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result awaitExit(Duration timeout) {
        if (!exitsWithin(timeout)) {
            killHard();
            throw new AssertionError("'uplift " + commandLine + "' did not finish within " + timeout.toSeconds() + " s\n" + result(-1));
        }
        return result(process.exitValue());
    }

    /** Waits until standard error contains {@code text}; false if the process ends first or time runs out. */
    boolean awaitErr(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(err).contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return read(err).contains(text);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /** SIGKILL, then waits until the process is gone. */
    void killHard() {
        process.destroyForcibly();
        exitsWithin(Duration.ofSeconds(30));
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
