package io.uplift.catalog;

import io.uplift.db.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * One SHA-256 for a folder of program files: every file's relative path, executable bit and
 * content hash, in path order. Two trees hash alike exactly when they would run alike; empty
 * folders and timestamps do not count.
 */
public final class TreeHash {
    private TreeHash() {}

    public static String of(Path root) {
        MessageDigest digest = Sha256.newDigest();
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString())).toList();
            for (Path p : files) {
                String rel = root.relativize(p).toString();
                String content = Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                        : contentHash(p);
                String line = rel + "\0" + (ownerExecutable(p) ? "x" : "-") + "\0" + content + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hash the folder " + root + ": " + e.getMessage(), e);
        }
        return Sha256.finish(digest);
    }

    private static String contentHash(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("cannot read " + file);
        }
        try {
            return Sha256.hex(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + file, e);
        }
    }

    // The permission bit itself, not access(2): root may execute any file, which would make the hash
    // depend on who computes it.
    private static boolean ownerExecutable(Path p) throws IOException {
        return !Files.isSymbolicLink(p)
                && Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }
}
