package io.uplift.keys.tokens;

import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The deprecated app tokens as 'uplift status' and the summary after an upgrade show them: a count
 * and the command that lists them. Best effort: a broken catalog or an unreachable database gives
 * a line that says so, never an error, since status must work then too.
 */
public final class TokenSummary {
    private TokenSummary() {}

    /**
     * @param tokens    the installation's tokens; may throw when the catalog is broken
     * @param reachable whether the database answered (when not, the count is not attempted)
     * @return null when the product declares no app tokens (or the catalog cannot be read)
     */
    public static StatusResult.Tokens of(Supplier<InstallationTokens> tokens, Path home, boolean reachable) {
        InstallationTokens found;
        try {
            found = tokens.get();
        } catch (UpliftException e) {
            return null;
        }
        if (!found.declared()) {
            return null;
        }
        List<String> formats = List.copyOf(found.deprecatedFormats());
        String current = found.currentFormat().orElse("");
        String command = "uplift tokens list --deprecated --home " + home;
        if (!reachable) {
            return new StatusResult.Tokens(-1, formats, current, command, "the database is not reachable");
        }
        try {
            return new StatusResult.Tokens(found.deprecatedCount(), formats, current, command, "");
        } catch (UpliftException e) {
            return new StatusResult.Tokens(-1, formats, current, command, e.getMessage());
        }
    }
}
