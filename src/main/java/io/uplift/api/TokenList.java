package io.uplift.api;

import java.util.List;

/**
 * What 'uplift tokens list' reports (shape of its --json: docs/json.md, "tokens list --json").
 *
 * @param currentFormat the format 'reissue' makes, or null when no release up to the installed one introduces one
 */
public record TokenList(String product, String installedVersion, String currentFormat, List<String> deprecatedFormats,
        boolean deprecatedOnly, List<AppToken> tokens) {
    public TokenList {
        deprecatedFormats = List.copyOf(deprecatedFormats);
        tokens = List.copyOf(tokens);
    }

    public long deprecatedCount() {
        return tokens.stream().filter(AppToken::deprecated).count();
    }
}
