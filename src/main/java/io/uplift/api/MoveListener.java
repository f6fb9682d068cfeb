package io.uplift.api;

import java.nio.file.Path;
import java.time.Duration;

/** Told how a move goes, for the terminal, the console and status. */
public interface MoveListener {
    MoveListener NONE = new MoveListener() {};

    default void phase(String text) {}

    /** A move to --target-version started its new server in {@code dataDir} (as given); {@code target} is its database. */
    default void serverStarted(int major, Path dataDir, int port, String target) {}

    default void tableCopied(String table, long rows, long bytes, Duration took) {}

    /** Bytes copied so far against the source's table sizes (an estimate: COPY bytes are not heap bytes). */
    default ProgressListener bytes() {
        return ProgressListener.NONE;
    }
}
