package io.uplift.dbmove;

import java.io.IOException;

/** Two tees as one: each chunk's bytes go to both sinks, and a failure to open the second closes the first. */
final class TeePair {
    private TeePair() {}

    static ChunkCopier.Tee of(ChunkCopier.Tee first, ChunkCopier.Tee second) {
        if (first == ChunkCopier.Tee.NONE) {
            return second;
        }
        return chunk -> {
            ChunkCopier.Sink a = first.open(chunk);
            ChunkCopier.Sink b;
            try {
                b = second.open(chunk);
            } catch (IOException | RuntimeException e) {
                a.close();
                throw e;
            }
            return new Both(a, b);
        };
    }

    private record Both(ChunkCopier.Sink a, ChunkCopier.Sink b) implements ChunkCopier.Sink {
        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void finish() throws IOException {
            a.finish();
            b.finish();
        }

        @Override
        public void close() throws IOException {
            try {
                a.close();
            } finally {
                b.close();
            }
        }
    }
}
