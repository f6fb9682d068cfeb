package io.uplift.keys;

import io.uplift.api.ProgressListener;

/**
 * Adds up the rows of all worker threads and reports them to one listener, from one thread at a
 * time (a terminal bar is not thread-safe).
 */
final class SharedProgress {
    private final ProgressListener listener;
    private long total;
    private long done;

    SharedProgress(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    synchronized void add(long rows) {
        done += rows;
        report();
    }

    synchronized void addToTotal(long rows) {
        total += rows;
        report();
    }

    synchronized void report() {
        listener.progress(Math.min(done, total), total);
    }

    synchronized void finish() {
        listener.progress(total, total);
    }
}
