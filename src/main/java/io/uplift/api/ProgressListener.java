package io.uplift.api;

/**
 * Told how far a long load has come, so that the caller can draw a progress bar. Called from the
 * loading thread, every few thousand rows and once more at the end with {@code doneRows == totalRows}.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every report. */
    ProgressListener NONE = (doneRows, totalRows) -> { };

    void progress(long doneRows, long totalRows);
}
