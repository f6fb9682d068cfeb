package io.uplift.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads one of Uplift's own files of .uplift for a support bundle: only a plain file, never through a
 * link (run as root, a planted link would otherwise put another file, /etc/shadow say, in the bundle),
 * and at most its last {@code limit} bytes, from a line start, so a years-old log cannot make the
 * bundle huge.
 */
final class BundleFile {
    private BundleFile() {}

    /** The file's content (its tail when longer than {@code limit}); empty when it is absent or no plain file. */
    static Optional<byte[]> read(Path file, long limit) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            long from = Math.max(0, size - limit);
            InputStream in = Channels.newInputStream(channel.position(from));
            byte[] bytes = in.readNBytes((int) Math.min(limit, size));
            return Optional.of(from == 0 ? bytes : fromNextLine(bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed between the check and the read (a step's progress.json, say)
        }
    }

    private static byte[] fromNextLine(byte[] tail) {
        for (int i = 0; i < tail.length; i++) {
            if (tail[i] == '\n') {
                return java.util.Arrays.copyOfRange(tail, i + 1, tail.length);
            }
        }
        return tail;
    }
}
