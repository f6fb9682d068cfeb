package io.uplift.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes files so that a crash at any instant leaves either the old content or the new, never a
 * mix: write a temporary file beside the target, force it to disk, rename it over the target, then
 * force the folder so the rename itself survives a power loss. A process killed in the middle leaves
 * its temporary file behind; the next write of the same file deletes it (see {@link #deleteLeftBehind}).
 * Files are created readable by their owner only, from the first instant: Uplift writes state,
 * settings and key material, and none of it is anyone else's business.
 *
 * <p>This is the one way Uplift writes a whole small file (state, settings, keys, manifests, reports);
 * big streamed files are written by their own code: an export's data and pg_dump output are then
 * put in place with {@link #moveIntoPlace}; a backup is a whole folder, published by renaming it.
 */
public final class DurableFiles {
    /**
     * How old another write's temporary file of the same target must be before a write deletes it as
     * left behind. A live write holds its file for milliseconds (a few seconds on a stalled disk); a
     * process killed mid-write (SIGKILL, power loss) never comes back for its file. Short, because the
     * file that matters most is rewritten rarely: after a killed write of config/keyset.json the next
     * write may be the resume a minute later or the next rotation months later. Deleting a live
     * write's file would make that write fail at its rename, never lose the file it replaces.
     */
    static final Duration LEFT_BEHIND_AFTER = Duration.ofMinutes(1);

    private DurableFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, Optional.empty(), true);
    }

    /**
     * Like {@link #write} (a reader sees the old file or the new one, never half of one; 0600; a link
     * at the target is replaced), but nothing is forced to disk. Only for reports rewritten every
     * second or so, such as an upgrade's progress.json: after a power loss an old copy or none costs
     * nothing, while two fsyncs a second would slow the very step being reported on a busy disk.
     */
    public static void writeUnforced(Path target, byte[] content) throws IOException {
        write(target, content, Optional.empty(), false);
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
        write(target, content, before, true);
    }

    private static void write(Path target, byte[] content, Optional<PosixFileAttributes> keep, boolean force) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (force) {
                    channel.force(true);
                }
            }
            if (keep.isPresent()) {
                PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(keep.get().owner());
                view.setGroup(keep.get().group());
                view.setPermissions(keep.get().permissions());
            }
            rename(temp, target);
            if (force) {
                forceDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        deleteLeftBehind(dir, target.getFileName().toString(), Instant.now().minus(LEFT_BEHIND_AFTER));
    }

    /**
     * Deletes the temporary files of earlier writes of {@code name} that a killed process left in
     * {@code dir}: they hold an old content of the file, which for a keyset may be key material a
     * rotation has since retired. Only regular files named as {@link #write} names them
     * ({@code .<name><digits>.tmp}) and last changed before {@code before}; a link is never followed,
     * and a file that cannot be deleted is left for the next write.
     */
    static void deleteLeftBehind(Path dir, String name, Instant before) {
        String prefix = "." + name;
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> isTemporaryOf(p.getFileName().toString(), prefix)).forEach(p -> {
                try {
                    PosixFileAttributes attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile() && attrs.lastModifiedTime().toInstant().isBefore(before)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // gone already, or not ours to judge: the next write looks again
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the write itself succeeded; tidying up is best effort (a listing can also fail halfway, unchecked)
        }
    }

    /** Files.createTempFile(dir, prefix, ".tmp") adds a random unsigned number between the two. */
    private static boolean isTemporaryOf(String file, String prefix) {
        if (!file.startsWith(prefix) || !file.endsWith(".tmp") || file.length() <= prefix.length() + 4) {
            return false;
        }
        return file.substring(prefix.length(), file.length() - 4).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Puts a finished file, already forced to disk by the code that streamed it, in place under its
     * real name (replacing one there) and forces the folder so the rename survives a power loss.
     * For big files written in a streaming way beside their target (an export's data chunks and
     * pg_dump output), which {@link #write} cannot hold in memory.
     */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        rename(finished, target);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Like {@link #moveIntoPlace}, for a streamed file its writer closed without forcing (pg_dump and
     * pg_restore output, a copied dump): forces its content first.
     */
    public static void forceAndMoveIntoPlace(Path finished, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(finished, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        moveIntoPlace(finished, target);
    }

    // Atomic where the file system can (always, within one folder on Linux); else a plain replace.
    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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
