package io.uplift.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.io.RandomAccessFile;

/**
 * Where the files of one cluster live. Everything sits next to the data folder {@code D}:
 * {@code D.run/} (private socket folder, also holds the transient, uniquely named password file for initdb) and
 * {@code D.log} (server log). Neither may live inside {@code D}: initdb wants it empty.
 */
record ClusterFiles(Path dataDir) {
    // A Unix socket path holds at most 107 bytes; the server appends "/.s.PGSQL.<port>" (up to 16).
    private static final int MAX_SOCKET_DIR_LENGTH = 90;

    ClusterFiles {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    Path socketDir() {
        Path beside = dataDir.resolveSibling(dataDir.getFileName() + ".run");
        if (beside.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_DIR_LENGTH) {
            return beside;
        }
        // A deep data folder would give a socket path the kernel refuses: use a short, stable one. Its name
        // is predictable, so OsUser.preparePrivateDirectory refuses one that is a link or another account's.
        return Path.of("/tmp", "uplift-pg-" + shortHash(dataDir.toString()));
    }

    Path logFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** The major version the data folder was created by, from {@code PG_VERSION}. */
    Optional<String> dataVersion() throws IOException {
        Path file = dataDir.resolve("PG_VERSION");
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    }

    /**
     * The postmaster's process id and port from {@code postmaster.pid} (line 1 and 4), if the file
     * exists and names a live postgres process; a file left by a crash names a dead or foreign one.
     */
    Optional<Postmaster> livePostmaster() {
        Path file = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            OptionalInt port = lines.size() >= 4 && !lines.get(3).isBlank()
                    ? OptionalInt.of(Integer.parseInt(lines.get(3).strip())) : OptionalInt.empty();
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                    .map(p -> new Postmaster(p, port));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // missing, or being written this very moment: not running (yet)
        }
    }

    record Postmaster(ProcessHandle process, OptionalInt port) {
    }

    /** The last {@code count} lines the server logged after byte {@code offset}. */
    String logTail(long offset, int count) {
        Path log = logFile();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.min(offset, file.length());
            byte[] bytes = new byte[(int) Math.min(file.length() - start, 1 << 20)];
            file.seek(file.length() - bytes.length);
            file.readFully(bytes);
            Deque<String> tail = new ArrayDeque<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                tail.addLast(line);
                if (tail.size() > count) {
                    tail.removeFirst();
                }
            }
            return String.join("\n", tail);
        } catch (IOException e) {
            return "(no server log at " + log + ": " + e.getMessage() + ")";
        }
    }

    long logSize() {
        try {
            return Files.exists(logFile()) ? Files.size(logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String shortHash(String text) {
        return Sha256.hex(text).substring(0, 12);
    }
}
