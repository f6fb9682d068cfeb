package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program (initdb, pg_ctl, id, ...) to completion and returns its exit code and
 * output.
 *
 * <p>The output goes to a temporary file rather than a pipe: {@code pg_ctl start} leaves a server
 * behind, and a pipe that any descendant still holds open would make reading it to the end hang.
 */
final class ExternalCommand {
    /** What a finished program left behind: its exit code and its stdout and stderr, merged. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    // Lenient decoding: a stray byte in a server message must not hide the message itself.
    private static String readOutput(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    static Result run(List<String> command, Duration timeout) {
        Path outputFile = null;
        try {
            outputFile = Files.createTempFile("uplift-cmd-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    // "/" because the server user may not be allowed into the operator's current folder,
                    // and initdb and pg_ctl complain when they cannot resolve their working directory.
                    .directory(Path.of("/").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // Messages are parsed ("could not bind"), so they must not be translated. Nothing else of
            // Uplift's environment reaches the child: a started server would keep it for its lifetime.
            ChildEnvironment.forTools().applyTo(builder, Map.of("LC_MESSAGES", "C"));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "`" + String.join(" ", command)
                        + "` did not finish within " + timeout.toSeconds() + " s and was killed. Output so far:\n"
                        + readOutput(outputFile));
            }
            return new Result(process.exitValue(), readOutput(outputFile));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER,
                    "Could not run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpliftException(ErrorCode.INTERNAL,
                    "Interrupted while waiting for `" + String.join(" ", command) + "`", e);
        } finally {
            if (outputFile != null) {
                try {
                    Files.deleteIfExists(outputFile);
                } catch (IOException ignored) {
                    // A leftover file in the temp folder is harmless; the command's outcome matters more.
                }
            }
        }
    }
}
