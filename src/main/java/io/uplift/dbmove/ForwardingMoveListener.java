package io.uplift.dbmove;

import io.uplift.api.ProgressListener;
import java.time.Duration;

/** A listener that passes everything on to another; the move's decorators override what they add to. */
abstract class ForwardingMoveListener implements MoveListener {
    protected final MoveListener delegate;

    ForwardingMoveListener(MoveListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void phase(String text) {
        delegate.phase(text);
    }

    @Override
    public void tableCopied(String table, long rows, long bytes, Duration took) {
        delegate.tableCopied(table, rows, bytes, took);
    }

    @Override
    public ProgressListener bytes() {
        return delegate.bytes();
    }
}
