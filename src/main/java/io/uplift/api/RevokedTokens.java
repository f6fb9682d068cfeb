package io.uplift.api;

import java.util.List;

/** What 'uplift tokens revoke' deleted, and the formats of the tokens of that name that are left. */
public record RevokedTokens(String name, List<String> revokedFormats, int revoked, List<String> remainingFormats) {
    public RevokedTokens {
        revokedFormats = List.copyOf(revokedFormats);
        remainingFormats = List.copyOf(remainingFormats);
    }
}
