package io.uplift.api;

import java.time.Duration;

/** Told what the engine does, so the terminal (and later the console) can show it. */
public interface UpgradeListener {
    UpgradeListener NONE = new UpgradeListener() {};

    default void stepStarted(Step step, boolean undo) {}

    default void stepFinished(Step step, Duration took, boolean undo) {}

    default void stepSkipped(Step step) {}

    /** Progress of a long step (a backup, a restore), in whatever unit the step counts. */
    default ProgressListener progress(Step step) {
        return ProgressListener.NONE;
    }

    default void message(String text) {}
}
