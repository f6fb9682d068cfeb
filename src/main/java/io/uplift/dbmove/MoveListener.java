package io.uplift.dbmove;

import io.uplift.api.ProgressListener;
import java.time.Duration;

/** Told how a move goes, for the terminal, the console and status. */
public interface MoveListener {
    MoveListener NONE = new MoveListener() {};

    default void phase(String text) {}

    default void tableCopied(String table, long rows, long bytes, Duration took) {}

    /** Bytes copied so far against the source's table sizes (an estimate: COPY bytes are not heap bytes). */
    default ProgressListener bytes() {
        return ProgressListener.NONE;
    }
}
