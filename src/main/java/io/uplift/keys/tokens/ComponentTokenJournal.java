package io.uplift.keys.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * HOME/.uplift/component-token.json: a token switch of this node under way. Written (and forced)
 * before the new token's hash goes into the database, removed once the old token is revoked, so an
 * agent killed at any point finds what it did. It holds hashes only, never a token: the token itself
 * exists only in the component's file.
 *
 * @param name      the token's name in the product's table (the new token takes the old one's name)
 * @param role      the node's role
 * @param file      the node-relative token file
 * @param oldHash   the hash of the token being replaced
 * @param oldFormat its format
 * @param newHash   the hash of the token issued
 * @param newFormat its format
 */
record ComponentTokenJournal(String name, String role, String file, String oldHash, String oldFormat, String newHash, String newFormat) {
    static final String FILE = "component-token.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Optional<ComponentTokenJournal> read(Path upliftDir) {
        Path path = upliftDir.resolve(FILE);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(path.toFile(), ComponentTokenJournal.class));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The component token journal " + path + " cannot be read ("
                    + e.getMessage() + "). It holds only hashes: compare its newHash with 'uplift tokens list', then delete it and run the"
                    + " order again.", e);
        }
    }

    void write(Path upliftDir) {
        try {
            DurableFiles.write(upliftDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write " + upliftDir.resolve(FILE) + ": " + e.getMessage()
                    + "; nothing was issued.", e);
        }
    }

    static void remove(Path upliftDir) {
        try {
            Files.deleteIfExists(upliftDir.resolve(FILE));
            DurableFiles.forceDirectory(upliftDir);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot remove " + upliftDir.resolve(FILE) + ": " + e.getMessage()
                    + ". The switch is complete: delete the file by hand.", e);
        }
    }
}
