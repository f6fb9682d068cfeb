package io.lockbox;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * HOME/data/lockbox.log: one line per event worth knowing (start, stop, refusals, errors). Callers
 * never pass a secret's value nor a token; a request is logged by method, path and status only.
 */
final class LockboxLog implements AutoCloseable {
    private final Writer out;

    private LockboxLog(Writer out) {
        this.out = out;
    }

    static LockboxLog open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return new LockboxLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "Cannot write the log " + file + ": " + e.getMessage()
                    + ". Run Lockbox as the account that owns the installation's data/ folder.", e);
        }
    }

    synchronized void info(String message) {
        write("INFO ", message);
    }

    synchronized void error(String message) {
        write("ERROR", message);
    }

    private void write(String level, String message) {
        try {
            out.write(Instant.now() + " " + level + " " + message + "\n");
            out.flush();
        } catch (IOException e) {
            // A full disk must not take the service down: the line is lost, the request is answered.
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // Nothing left to tell.
        }
    }
}
