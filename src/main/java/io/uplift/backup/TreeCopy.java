package io.uplift.backup;

import io.uplift.api.BackupManifest.Entry;
import io.uplift.db.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Copies a folder of the installation into a backup, hashing each file on the way (one read of the
 * source) and forcing it to disk, since a backup that only sits in the page cache is no backup after a
 * power loss. Permissions and modification times are kept on the copies; mode, owner and group are
 * also recorded in the manifest so that a restore can apply them even if the copies lost them.
 *
 * <p>Links are never followed, since Uplift runs as root and the trees belong to others: a symbolic
 * link is copied as a link (its target recorded), and every folder and file is opened relative to its
 * already open parent with O_NOFOLLOW ({@link SecureDirectoryStream}). So a file or folder swapped for a
 * link while the copy runs makes the copy fail instead of copying whatever the link points to.
 */
final class TreeCopy {
    private static final int BUFFER = 1 << 20;
    private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** Called between reading an item's attributes and opening it: lets tests change the tree at that instant. */
    interface BeforeOpen {
        BeforeOpen NONE = path -> { };

        void at(Path path) throws IOException;
    }

    private TreeCopy() {}

    /**
     * Copies {@code home/name} to {@code backup/name}; returns its entries with paths like "app/bin/x".
     * A missing folder gives no entries: an installation without data/ is still backed up.
     */
    static List<Entry> copy(Path home, String name, Path backup, LongConsumer bytesCopied) throws IOException {
        return copy(home, name, name, backup, bytesCopied, BeforeOpen.NONE);
    }

    /** Copies {@code parent/name} to {@code backup/as}; the entries' paths start with {@code as}. */
    static List<Entry> copy(Path parent, String name, String as, Path backup, LongConsumer bytesCopied, BeforeOpen hook) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(parent.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        new Walk(backup, entries, bytesCopied, hook).top(parent, name, as);
        return entries;
    }

    /** One copy of one top folder; {@code rel} paths are relative to the home and to the backup alike. */
    private record Walk(Path backup, List<Entry> entries, LongConsumer bytesCopied, BeforeOpen hook) {
        void top(Path home, String name, String as) throws IOException {
            try (SecureDirectoryStream<Path> parent = secure(Files.newDirectoryStream(home), home)) {
                PosixFileAttributes a = attributes(parent, Path.of(name));
                if (!a.isDirectory()) {
                    throw new FileSystemException(home.resolve(name).toString(), null, "is not a folder"
                            + (a.isSymbolicLink() ? " but a symbolic link (links are not followed)" : ""));
                }
                hook.at(home.resolve(name));
                folder(parent, Path.of(name), as, home.resolve(name), a);
            }
        }

        private void folder(SecureDirectoryStream<Path> parent, Path child, String rel, Path source, PosixFileAttributes a)
                throws IOException {
            Path to = backup.resolve(rel);
            Files.createDirectories(to);
            entries.add(entry(rel, "dir", 0, null, a, null));
            try (SecureDirectoryStream<Path> dir = secure(open(() -> parent.newDirectoryStream(child, LinkOption.NOFOLLOW_LINKS), source),
                    source)) {
                for (Path listed : dir) {
                    Path itemName = listed.getFileName();
                    Path item = source.resolve(itemName);
                    String itemRel = rel + "/" + itemName;
                    PosixFileAttributes ia = attributes(dir, itemName);
                    if (ia.isSymbolicLink()) {
                        Path link = Files.readSymbolicLink(item);
                        Files.createSymbolicLink(backup.resolve(itemRel), link);
                        entries.add(entry(itemRel, "link", 0, null, ia, link.toString()));
                    } else if (ia.isDirectory()) {
                        hook.at(item);
                        folder(dir, itemName, itemRel, item, ia);
                    } else if (ia.isRegularFile()) {
                        hook.at(item);
                        Path target = backup.resolve(itemRel);
                        Copied copied;
                        try (SeekableByteChannel in = open(() -> dir.newByteChannel(itemName, READ_NOFOLLOW), item)) {
                            copied = write(Channels.newInputStream(in), target, bytesCopied);
                        }
                        keep(ia, target);
                        entries.add(entry(itemRel, "file", copied.size(), copied.sha256(), ia, null));
                    }
                    // Sockets, pipes and devices are not data; they are left out on purpose.
                }
            }
            keep(a, to); // after the children: a read-only folder would refuse them
        }
    }

    private interface Opener<T> {
        T open() throws IOException;
    }

    /** Opens with O_NOFOLLOW; the kernel's "too many levels of symbolic links" becomes what it means here. */
    private static <T> T open(Opener<T> opener, Path path) throws IOException {
        try {
            return opener.open();
        } catch (IOException e) {
            // Java reports the kernel's ELOOP for O_NOFOLLOW as a bare IOException without the path.
            if (Files.isSymbolicLink(path)) {
                throw new FileSystemException(path.toString(), null, "became a symbolic link while the backup was copying it;"
                        + " links are copied as links and never followed, so the copy stopped");
            }
            throw e;
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream, Path dir) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> s) {
            return s;
        }
        stream.close();
        throw new FileSystemException(dir.toString(), null, "this file system offers no safe (no-follow) folder access,"
                + " which a backup run as root needs");
    }

    private static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    private static void keep(PosixFileAttributes a, Path to) throws IOException {
        Files.setPosixFilePermissions(to, a.permissions());
        Files.setLastModifiedTime(to, a.lastModifiedTime());
    }

    /** What was written: its size and SHA-256 (of the bytes written, even if the source changed meanwhile). */
    record Copied(long size, String sha256) {}

    /** Streams {@code from} (never through a link) into a new {@code to}, forced to disk. */
    static Copied copyFile(Path from, Path to, LongConsumer bytesCopied) throws IOException {
        try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS)) {
            return write(in, to, bytesCopied);
        }
    }

    private static Copied write(InputStream in, Path to, LongConsumer bytesCopied) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        long size = 0;
        try (FileChannel channel = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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
        return new Copied(size, Sha256.finish(sha));
    }

    private static Entry entry(String rel, String type, long size, String sha, PosixFileAttributes a, String link) {
        String mode = "link".equals(type) ? null : PosixFilePermissions.toString(a.permissions());
        return new Entry(rel, type, size, sha, mode, a.owner().getName(), a.group().getName(), link);
    }

    /** SHA-256 of a file, reporting bytes read; a link is refused, not followed. */
    static String hash(Path file, LongConsumer bytesRead) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                bytesRead.accept(n);
            }
        }
        return Sha256.finish(sha);
    }
}
