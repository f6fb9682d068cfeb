package io.uplift.demo;

import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * The rows of one table as a COPY text stream, generated a chunk at a time when the reader asks,
 * so that no more than one chunk is ever in memory.
 */
final class RowSource extends InputStream {
    /** Writes the next row into the buffer; returns false, writing nothing, when the table is complete. */
    @FunctionalInterface
    interface RowWriter {
        boolean writeNext(CopyTextBuffer out);
    }

    static final int CHUNK_BYTES = 256 * 1024;

    private final RowWriter writer;
    private final LongConsumer rowsDone;
    private final CopyTextBuffer buffer = new CopyTextBuffer(CHUNK_BYTES + 4096);
    private int position;
    private boolean exhausted;

    /** {@code rowsDone} is told, after each chunk, how many rows the chunk holds. */
    RowSource(RowWriter writer, LongConsumer rowsDone) {
        this.writer = writer;
        this.rowsDone = rowsDone;
    }

    @Override
    public int read() {
        if (!fill()) {
            return -1;
        }
        return buffer.array()[position++] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.size() - position);
        System.arraycopy(buffer.array(), position, target, offset, n);
        position += n;
        return n;
    }

    private boolean fill() {
        if (position < buffer.size()) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        buffer.clear();
        position = 0;
        long rows = 0;
        while (buffer.size() < CHUNK_BYTES) {
            if (!writer.writeNext(buffer)) {
                exhausted = true;
                break;
            }
            buffer.endRow();
            rows++;
        }
        if (rows > 0) {
            rowsDone.accept(rows);
        }
        return buffer.size() > 0;
    }
}
