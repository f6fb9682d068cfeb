package io.uplift.dbmove;

import com.github.luben.zstd.ZstdOutputStream;
import io.uplift.db.Sha256;
import io.uplift.journal.DurableFiles;
import io.uplift.journal.DiskFull;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One data file of an export as its chunk streams past: bytes through a buffer, then zstd (unless
 * NONE), then a counter and SHA-256 of what lands on disk, into {@code FILE.partial}. finish()
 * forces the file to disk, renames it to its real name and hands its record on; a sink closed
 * without finish() deletes its partial file, so nothing half-written ever looks complete.
 */
final class ExportFileSink implements ChunkCopier.Sink {
    private static final int BUFFER = 256 * 1024;

    /** Told of each finished file (recorded durably by the export). */
    interface Finished {
        void finished(ExportProgress.Written file) throws IOException;
    }

    private final Path dir;
    private final String chunkId;
    private final String file;
    private final MoveSettings.Compression compression;
    private final Finished finished;
    private final Path partial;
    private final FileChannel channel;
    private final DigestingStream digest;
    private final OutputStream top;
    private long copyBytes;
    private boolean done;

    ExportFileSink(Path dir, String chunkId, String file, MoveSettings.Compression compression, Finished finished) throws IOException {
        this.dir = dir;
        this.chunkId = chunkId;
        this.file = file;
        this.compression = compression;
        this.finished = finished;
        this.partial = dir.resolve(file + ExportFileNames.PARTIAL);
        this.channel = OwnerOnly.create(partial);
        this.digest = new DigestingStream(Channels.newOutputStream(channel));
        OutputStream s;
        try {
            s = compression == MoveSettings.Compression.NONE ? digest : new ZstdOutputStream(digest, compression.zstdLevel());
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(partial);
            throw e;
        }
        this.top = new BufferedOutputStream(s, BUFFER);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        try {
            top.write(bytes, off, len);
        } catch (IOException e) {
            throw DiskFull.explain(e, dir);
        }
        copyBytes += len;
    }

    @Override
    public void finish() throws IOException {
        try {
            top.close(); // ends the zstd frame; DigestingStream keeps the channel open
            channel.force(true);
            channel.close();
            DurableFiles.moveIntoPlace(partial, dir.resolve(file));
            done = true;
            boolean plain = compression == MoveSettings.Compression.NONE;
            finished.finished(new ExportProgress.Written(chunkId, file, plain ? "none" : "zstd", plain ? 0 : compression.zstdLevel(),
                    copyBytes, digest.count, digest.hex()));
        } catch (IOException e) {
            throw DiskFull.explain(e, dir);
        }
    }

    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        try {
            top.close();
        } catch (IOException | RuntimeException e) {
            // abandoned: the file goes anyway
        }
        channel.close();
        Files.deleteIfExists(partial);
    }

    /** Counts and hashes what passes; close() flushes but leaves the underlying stream open. */
    private static final class DigestingStream extends FilterOutputStream {
        private final MessageDigest sha = Sha256.newDigest();
        long count;

        DigestingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }

        String hex() {
            return Sha256.finish(sha);
        }
    }
}
