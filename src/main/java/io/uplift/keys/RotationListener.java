package io.uplift.keys;

import io.uplift.api.ProgressListener;

/** Told what a key rotation does, for the terminal or the console. */
public interface RotationListener {
    RotationListener NONE = new RotationListener() {
        @Override
        public void message(String text) {}

        @Override
        public ProgressListener progress(String phase) {
            return ProgressListener.NONE;
        }
    };

    void message(String text);

    /** A listener for one long phase ("Re-encrypting", "Verifying"), in values. */
    ProgressListener progress(String phase);
}
