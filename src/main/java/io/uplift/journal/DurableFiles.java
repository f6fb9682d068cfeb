package io.uplift.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Writes files so that a crash at any instant leaves either the old content or the new, never a
 * mix: write a temporary file beside the target, force it to disk, rename it over the target, then
 * force the folder so the rename itself survives a power loss. Files are created readable by their
 * owner only, from the first instant: Uplift writes state, settings and key material, and none of
 * it is anyone else's business.
 */
public final class DurableFiles {
    private DurableFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, Optional.empty());
    }

    /**
     * Like {@link #write}, but a file that already exists keeps its owner, group and mode: node-local
     * files such as config/keyset.json and config/database.properties are read by the product under
     * its own service account, and a root-run rewrite that left them root:root 0600 would lock the
     * product out. The attributes go on the temporary file before the rename, so the file is never
     * visible with other ones. A new file (or a link, which is replaced, never followed) gets 0600.
     */
    public static void replaceKeepingOwner(Path target, byte[] content) throws IOException {
        Optional<PosixFileAttributes> before = Optional.empty();
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            before = Optional.of(Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        }
        write(target, content, before);
    }

    private static void write(Path target, byte[] content, Optional<PosixFileAttributes> keep) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (keep.isPresent()) {
                PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(keep.get().owner());
                view.setGroup(keep.get().group());
                view.setPermissions(keep.get().permissions());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Flushes a folder's entries; on Linux a read-only channel on a directory can be forced. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open folders; the rename is then as durable as they allow.
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                return;
            }
            throw e;
        }
    }
}
