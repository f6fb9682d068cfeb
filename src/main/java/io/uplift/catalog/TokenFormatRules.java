package io.uplift.catalog;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * For a product that declares its tokens: once a release deprecates a format, some format must be
 * current to re-issue the deprecated tokens in, or 'uplift tokens reissue' could never work there.
 */
final class TokenFormatRules {
    private final Problems problems;
    private final Map<Version, Integer> tokenFormatsLines;

    TokenFormatRules(Problems problems, Map<Version, Integer> tokenFormatsLines) {
        this.problems = problems;
        this.tokenFormatsLines = tokenFormatsLines;
    }

    void check(NavigableMap<Version, Release> releases) {
        TokenFormatHistory history = new TokenFormatHistory(releases);
        for (Release release : releases.values()) {
            if (release.tokenFormats().deprecates().isEmpty()) {
                continue;
            }
            Set<String> deprecated = history.deprecatedAt(release.version());
            if (history.currentAt(release.version()).isEmpty()) {
                problems.add(release.folder().resolve("release.yaml"), tokenFormatsLines.getOrDefault(release.version(), 1),
                        "token-formats", "deprecates " + String.join(", ", deprecated) + " but no release up to " + release.version()
                                + " introduces a format that is still current, so their tokens could not be re-issued;"
                                + " add 'introduces: FORMAT' to this release");
            }
        }
    }
}
