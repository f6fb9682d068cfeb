package io.uplift.keys.tokens;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The node-local file a remote component reads its app token from (product.yaml
 * {@code tokens.component-files}). Written whole or not at all: a temporary file created 0600 beside
 * it, forced, given the owner of the file it replaces (the component runs as the product's account),
 * renamed over it, the folder forced. A link anywhere from the home down to the file is refused:
 * following it would put a token where the link points, outside the node's home.
 */
public final class ComponentTokenFile {
    private final Path home;
    private final String relative;
    private final Path file;

    public ComponentTokenFile(Path home, String relative) {
        this.home = home.toAbsolutePath().normalize();
        this.relative = relative;
        this.file = this.home.resolve(relative).normalize();
        if (!file.startsWith(this.home) || file.equals(this.home)) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "tokens.component-files: '" + relative + "' lies outside the node's home "
                    + this.home + "; name a file inside it, e.g. config/app-token.");
        }
    }

    public Path path() {
        return file;
    }

    public String relative() {
        return relative;
    }

    /** The token in the file, stripped; empty when the file is missing or empty. */
    public Optional<String> read() {
        refuseLinks();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read the component token file " + file + ": " + e.getMessage()
                    + ". Run the agent as the account that owns the installation.", e);
        }
    }

    /** Replaces the file's token with {@code token}; see the class comment for how. */
    public void write(String token) {
        refuseLinks();
        Path dir = file.getParent();
        Path temp = dir.resolve("." + file.getFileName() + ".new");
        try {
            Files.createDirectories(dir);
            Optional<PosixFileAttributes> before = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)) : Optional.empty();
            Files.deleteIfExists(temp); // a leftover of a write that was killed: it held a token nobody knows any more
            try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buffer = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (before.isPresent()) {
                PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(before.get().owner());
                view.setGroup(before.get().group());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            DurableFiles.forceDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The next write removes it first.
            }
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write the component token file " + file + ": " + e.getMessage()
                    + ". Check that the agent's account may write " + dir + "; the component keeps its old token meanwhile.", e);
        }
    }

    /** The file and each folder between it and the home must be what they are named, not links. */
    private void refuseLinks() {
        for (Path p = file; p != null && !p.equals(home); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, p + " is a symbolic link: Uplift writes an app token only into the"
                        + " node's own " + relative + " and never through a link. Replace the link with the real file (or folder), then"
                        + " run the agent's order again.");
            }
        }
    }
}
