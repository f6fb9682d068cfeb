package io.uplift.backup;

import io.uplift.backup.BackupManifest.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Copies a folder of the installation into a backup, hashing each file on the way (one read of the
 * source) and forcing it to disk, since a backup that only sits in the page cache is no backup after a
 * power loss. Permissions and modification times are kept on the copies; mode, owner and group are
 * also recorded in the manifest so that a restore can apply them even if the copies lost them.
 */
final class TreeCopy {
    private static final int BUFFER = 1 << 20;

    private TreeCopy() {}

    /**
     * Copies {@code home/name} to {@code backup/name}; returns its entries with paths like "app/bin/x".
     * A missing folder gives no entries: an installation without data/ is still backed up.
     */
    static List<Entry> copy(Path home, String name, Path backup, LongConsumer bytesCopied) throws IOException {
        Path source = home.resolve(name);
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target(dir));
                entries.add(entry(home, dir, "dir", 0, null, null));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target(file);
                if (attrs.isSymbolicLink()) {
                    Path link = Files.readSymbolicLink(file);
                    Files.createSymbolicLink(to, link);
                    entries.add(entry(home, file, "link", 0, null, link.toString()));
                } else if (attrs.isRegularFile()) {
                    Copied copied = copyFile(file, to, bytesCopied);
                    keepAttributes(file, to);
                    entries.add(entry(home, file, "file", copied.size(), copied.sha256(), null));
                }
                // Sockets, pipes and devices are not data; they are left out on purpose.
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                keepAttributes(dir, target(dir)); // after the children: a read-only folder would refuse them
                return FileVisitResult.CONTINUE;
            }

            private Path target(Path p) {
                return backup.resolve(home.relativize(p).toString());
            }
        });
        return entries;
    }

    /** What was written: its size and SHA-256 (of the bytes written, even if the source changed meanwhile). */
    record Copied(long size, String sha256) {}

    /** Streams {@code from} into a new {@code to}, forced to disk. */
    static Copied copyFile(Path from, Path to, LongConsumer bytesCopied) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(from);
             FileChannel channel = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), sha);
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                size += n;
                bytesCopied.accept(n);
            }
            out.flush();
            channel.force(true);
        }
        return new Copied(size, HexFormat.of().formatHex(sha.digest()));
    }

    static void keepAttributes(Path from, Path to) throws IOException {
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from, LinkOption.NOFOLLOW_LINKS));
        FileTime modified = Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(to, modified);
    }

    private static Entry entry(Path home, Path p, String type, long size, String sha, String link) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String rel = home.relativize(p).toString();
        String mode = "link".equals(type) ? null : PosixFilePermissions.toString(a.permissions());
        return new Entry(rel, type, size, sha, mode, a.owner().getName(), a.group().getName(), link);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** SHA-256 of a file, reporting bytes read. */
    static String hash(Path file, LongConsumer bytesRead) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                bytesRead.accept(n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
