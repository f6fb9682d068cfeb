package io.uplift.support;

import io.uplift.install.DatabaseSettings;
import io.uplift.api.UpliftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A second line of defence: the bundle takes nothing from config/ and its reports hold no secret, but
 * should the database password ever turn up in one (an operator who wrote it into a URL, an error
 * message quoting a connection string), it is replaced before the entry is written. The password is
 * read from config/database.properties for this comparison only; the file never goes in the bundle.
 */
final class PasswordRedaction {
    static final String REPLACEMENT = "[database password removed]";
    /** Shorter ones would also match ordinary words of the reports; a password that short protects nothing anyway. */
    private static final int SHORTEST = 6;

    private final Optional<String> password;

    private PasswordRedaction(Optional<String> password) {
        this.password = password;
    }

    static PasswordRedaction forHome(Path home) {
        try {
            String p = DatabaseSettings.read(home).password();
            return new PasswordRedaction(p.length() >= SHORTEST ? Optional.of(p) : Optional.empty());
        } catch (UpliftException e) {
            return new PasswordRedaction(Optional.empty()); // no settings, nothing that could leak from them
        }
    }

    /** The entry with every occurrence of the password replaced; the very same array when there is none. */
    byte[] apply(byte[] entry) {
        if (password.isEmpty()) {
            return entry;
        }
        String text = new String(entry, StandardCharsets.UTF_8);
        return text.contains(password.get()) ? text.replace(password.get(), REPLACEMENT).getBytes(StandardCharsets.UTF_8) : entry;
    }
}
