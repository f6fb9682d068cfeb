package io.uplift.journal;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock that allows one changing Uplift command per installation. It is an OS file lock, so a
 * process killed with SIGKILL releases it with its last breath; the file itself only tells who held
 * it last, for the message shown to whoever finds it taken.
 */
public final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or returns empty with nothing changed when another process holds it. */
    public static Optional<HomeLock> tryAcquire(Path lockFile, String command) {
        Path upliftDir = lockFile.toAbsolutePath().normalize().getParent();
        TrustedFolder.require(upliftDir.getParent());
        TrustedFolder.require(upliftDir);
        try {
            Files.createDirectories(upliftDir);
            FileChannel channel = openNoFollow(lockFile, StandardOpenOption.CREATE);
            FileLock lock = LockGate.tryCommandLock(channel);
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            String owner = "pid " + ProcessHandle.current().pid() + " on " + InetAddress.getLocalHost().getHostName()
                    + ", '" + command + "', since " + Instant.now() + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return Optional.of(new HomeLock(channel, lock));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot open the lock file " + lockFile + ": "
                    + e.getMessage() + ". Check that the home is writable by this user.", e);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return Optional.empty(); // held by this very JVM
        }
    }

    /** Takes the lock, or fails with LOCKED naming who holds it. */
    public static HomeLock acquire(Path lockFile, String command) {
        return tryAcquire(lockFile, command).orElseThrow(() -> new UpliftException(ErrorCode.LOCKED,
                "Another Uplift command is working on this installation: " + holder(lockFile).orElse("a process of this JVM")
                        + ". Wait for it to finish; the lock frees itself if that process dies."));
    }

    /** Whether another process holds the lock now, without taking it; the holder's description if so. */
    public static Optional<String> holder(Path lockFile) {
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(lockFile)) {
            return Optional.empty();
        }
        if (!heldByACommand(lockFile)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.of("an unknown process");
        }
    }

    /**
     * Opens the lock file without following a link (O_NOFOLLOW) and makes sure it is a plain file:
     * a link planted at .uplift/lock would otherwise make root truncate and write its target.
     */
    private static FileChannel openNoFollow(Path lockFile, StandardOpenOption... extra) throws IOException {
        if (Files.isSymbolicLink(lockFile)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The lock file " + lockFile + " is a symbolic link (to "
                    + Files.readSymbolicLink(lockFile) + "); Uplift never writes through a link. Nothing was changed. Remove the link"
                    + " (rm " + lockFile + ") and run the command again; Uplift creates the file itself.");
        }
        java.util.Set<java.nio.file.OpenOption> options = new java.util.HashSet<>(java.util.List.of(
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        options.addAll(java.util.List.of(extra));
        FileChannel channel = FileChannel.open(lockFile, options);
        if (!Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
            channel.close();
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The lock file " + lockFile + " is not a plain file."
                    + " Nothing was changed. Remove it and run the command again; Uplift creates the file itself.");
        }
        return channel;
    }

    private static boolean heldByACommand(Path lockFile) {
        // Probing must not rewrite the owner line, nor take the lock a command could then not get (see LockGate).
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return LockGate.commandHolds(channel);
        } catch (IOException e) {
            return true; // cannot tell: the owner line is all there is to show
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock anyway; nothing the operator can act on.
        }
    }
}
