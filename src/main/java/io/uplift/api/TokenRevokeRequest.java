package io.uplift.api;

import java.util.Optional;

/**
 * What 'uplift tokens revoke' is asked to delete: the tokens named {@code name} in a deprecated
 * format, or those of {@code format}; the last token of a name only with {@code evenIfLast}.
 */
public record TokenRevokeRequest(String name, Optional<String> format, boolean evenIfLast) {
    public TokenRevokeRequest {
        if (name == null || name.isBlank()) {
            throw new UpliftException(ErrorCode.USAGE, "NAME is empty: give the token's name as 'uplift tokens list' shows it.");
        }
        format = format == null ? Optional.empty() : format;
        if (format.isPresent() && format.get().isBlank()) {
            throw new UpliftException(ErrorCode.USAGE, "--format is empty: give a token format such as v1, or leave the flag out"
                    + " to revoke the deprecated tokens.");
        }
    }
}
