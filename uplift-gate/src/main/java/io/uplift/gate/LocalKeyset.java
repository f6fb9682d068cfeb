package io.uplift.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This node's keyset as the gate sees it: only the fingerprint in the file's header, never a key
 * (the gate has no master key and needs none).
 *
 * @param file        the keyset file, or null when the product has no keyset
 * @param state       what was found
 * @param fingerprint the 64-hex fingerprint when {@code state} is KNOWN, else null
 * @param problem     why the file could not be read, when {@code state} is UNREADABLE
 */
record LocalKeyset(Path file, State state, String fingerprint, String problem) {
    enum State {
        /** The product has no keyset: the keyset check does not apply. */
        NOT_CONFIGURED,
        /** The configured file does not exist. */
        MISSING,
        /**
         * A legacy keyset file (Tink's JSON in clear, written before Uplift sealed keysets) carries no
         * fingerprint field: the gate cannot tell which keyset it is and lets the node run. Uplift
         * itself refuses such a file and says to seal it with 'uplift keys protect', which adds the field.
         */
        UNKNOWN,
        /** Not readable or not a keyset envelope (damaged, truncated). */
        UNREADABLE,
        KNOWN
    }

    /** A keyset file is a few kilobytes; anything this large is not one and is not read whole. */
    private static final long MAX_BYTES = 1 << 20;

    static LocalKeyset read(Path file) {
        if (file == null) {
            return new LocalKeyset(null, State.NOT_CONFIGURED, null, null);
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                return new LocalKeyset(file, State.UNREADABLE, null, "larger than " + MAX_BYTES + " bytes");
            }
            Optional<String> fp = KeysetHeader.fingerprint(Files.readString(file, StandardCharsets.UTF_8));
            return fp.map(f -> new LocalKeyset(file, State.KNOWN, f, null)).orElseGet(() -> new LocalKeyset(file, State.UNKNOWN, null, null));
        } catch (NoSuchFileException e) {
            return new LocalKeyset(file, State.MISSING, null, null);
        } catch (IOException | IllegalArgumentException e) {
            return new LocalKeyset(file, State.UNREADABLE, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
