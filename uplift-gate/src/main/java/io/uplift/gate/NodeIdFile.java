package io.uplift.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * This node's id, kept in HOME/.uplift/node-id so that it survives restarts and upgrades (.uplift is
 * node-local and never replaced). Read before the checks, created only after they passed.
 *
 * <p>The file is never followed when it is a symbolic link: a link there could make the gate read,
 * or write, a file elsewhere with the product's rights; the gate refuses it instead.
 */
final class NodeIdFile {
    static final String NAME = "node-id";
    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final Path file;

    NodeIdFile(Path home) {
        this.file = home.resolve(".uplift").resolve(NAME);
    }

    Path file() {
        return file;
    }

    /** The recorded id; empty when the node never started. */
    Optional<String> read() throws GateRefusal {
        if (Files.isSymbolicLink(file)) {
            throw Refusals.nodeIdInvalid(file, "is a symbolic link, which the gate never follows");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw Refusals.nodeIdInvalid(file, "is not a regular file");
        }
        String id;
        try {
            id = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw Refusals.nodeIdInvalid(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (!id.matches(ID)) {
            throw Refusals.nodeIdInvalid(file, "does not hold a node id (letters, digits, '.', '_' or '-', at most 64)");
        }
        return Optional.of(id);
    }

    /**
     * The recorded id, or a new one ("node-" and 8 random hex digits) written atomically: a temporary
     * file, flushed, then hard-linked to the name, which fails rather than replaces when another
     * process of this node created the file first (then its id is the one used). A file system
     * without hard links gets an atomic rename instead.
     */
    String readOrCreate() throws GateRefusal {
        Optional<String> existing = read();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = "node-" + HexFormat.of().formatHex(random);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), NAME + "-", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return read().orElseThrow(() -> Refusals.nodeIdInvalid(file, "vanished while the gate created it"));
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            return id;
        } catch (IOException e) {
            throw Refusals.nodeIdUnwritable(file, e.getClass().getSimpleName() + " " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless; the id is in place.
                }
            }
        }
    }
}
