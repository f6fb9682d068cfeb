package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one PostgreSQL client tool (pg_dump, pg_restore) to completion.
 *
 * <p>Secrets go through {@code env}, which only the child sees: a password on the command line would
 * show in {@code ps} to every user of the machine. The child gets {@link ChildEnvironment#forTools()}
 * plus {@code env}: no inherited {@code PG*} variable, so that an operator's shell settings (PGSERVICE,
 * PGOPTIONS, another PGPASSWORD) cannot redirect a backup.
 * stderr is streamed line by line (pg_dump --verbose reports each table there) and its last lines are
 * kept for the error message.
 */
public final class ToolRun {
    private static final int TAIL_LINES = 20;

    public record Result(int exitCode, String stdout, String stderrTail) {}

    private ToolRun() {}

    /** @param failure the error code when the tool cannot be run at all or overruns its time */
    public static Result run(List<String> command, Map<String, String> env, Consumer<String> stderrLine, Duration timeout,
            ErrorCode failure) {
        Map<String, String> explicit = new java.util.LinkedHashMap<>(env);
        explicit.put("LC_MESSAGES", "C");
        // A password goes into a temporary password file (mode 600, deleted right after): in PGPASSWORD it
        // would sit in the child's /proc/PID/environ, which the same user and root can read for the whole run.
        String password = explicit.remove("PGPASSWORD");
        Path passFile = null;
        if (password != null && !password.isEmpty()) {
            if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
                explicit.put("PGPASSWORD", password); // a line end cannot be written into a password file
            } else {
                try {
                    passFile = PassFile.writeTemporary(password);
                } catch (IOException e) {
                    throw new UpliftException(failure, "Could not write a temporary password file for " + command.get(0) + ": "
                            + e.getMessage() + ". Check that the temporary folder (" + System.getProperty("java.io.tmpdir") + ") is writable.", e);
                }
                explicit.put("PGPASSFILE", passFile.toString());
            }
        }
        try {
            return start(command, explicit, stderrLine, timeout, failure);
        } finally {
            if (passFile != null) {
                try {
                    Files.deleteIfExists(passFile);
                } catch (IOException e) {
                    System.err.println("uplift: could not delete the temporary password file " + passFile + ", delete it yourself: " + e);
                }
            }
        }
    }

    private static Result start(List<String> command, Map<String, String> explicit, Consumer<String> stderrLine, Duration timeout,
            ErrorCode failure) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Path.of("/").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        ChildEnvironment.forTools().applyTo(builder, explicit);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UpliftException(failure, "Could not run " + command.get(0) + ": " + e.getMessage()
                    + ". Check the PG tools directory (--pg-tools-dir).", e);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Deque<String> tail = new ArrayDeque<>();
        Thread out = reader("stdout", () -> copy(process.getInputStream(), stdout));
        Thread err = reader("stderr", () -> lines(process.getErrorStream(), line -> {
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            stderrLine.accept(line);
        }));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new UpliftException(failure, command.get(0) + " did not finish within "
                        + timeout.toMinutes() + " minutes and was stopped.");
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            // Ctrl-C of the caller: stop the child too rather than leave it writing into a backup folder.
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UpliftException(failure, "Interrupted while " + command.get(0) + " was running; it was stopped.", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        String errText;
        synchronized (tail) {
            errText = String.join("\n", tail);
        }
        return new Result(process.exitValue(), stdout.toString(StandardCharsets.UTF_8), errText);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static Thread reader(String name, IoAction action) {
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "uplift-tool-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        synchronized (out) {
            in.transferTo(out);
        }
    }

    private static void lines(InputStream in, Consumer<String> sink) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                sink.accept(line);
            }
        }
    }
}
