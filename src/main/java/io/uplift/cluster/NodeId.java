package io.uplift.cluster;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This node's id as the product's node gate keeps it (HOME/.uplift/node-id, made at the product's
 * first start). The agent never makes one itself: the id is the gate's, so that the agent's row and
 * the node's registry row name the same node. A link there is refused, as the gate refuses it.
 */
final class NodeId {
    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private NodeId() {}

    static Optional<String> read(Path home) {
        Path file = home.resolve(".uplift").resolve("node-id");
        if (Files.isSymbolicLink(file)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, file + " is a symbolic link; the node id must be a plain file."
                    + " Remove the link and start the product once: its node gate writes the id.");
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!id.matches(ID)) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, file + " does not hold a node id (letters, digits, '.', '_', '-')."
                        + " Remove it and start the product once: its node gate writes a new one.");
            }
            return Optional.of(id);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
