package io.uplift.catalog;

import java.util.LinkedHashSet;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * What the releases' {@code token-formats} say about one installed version: the formats deprecated
 * by the releases up to it (a format introduced again by a later one of them is current again), and
 * the format a re-issued token gets, the newest one introduced.
 */
public final class TokenFormatHistory {
    private final NavigableMap<Version, Release> releases;

    public TokenFormatHistory(NavigableMap<Version, Release> releases) {
        this.releases = releases;
    }

    /** The formats deprecated once {@code installed} is installed, in the order they were deprecated. */
    public Set<String> deprecatedAt(Version installed) {
        Set<String> deprecated = new LinkedHashSet<>();
        for (Release r : releases.headMap(installed, true).values()) {
            r.tokenFormats().introduces().ifPresent(deprecated::remove);
            deprecated.addAll(r.tokenFormats().deprecates());
        }
        return deprecated;
    }

    /**
     * The format new tokens get at {@code installed}: the newest one introduced by a release up to it.
     * Empty when none is introduced, or when the newest one was deprecated since (the catalog rules
     * refuse that for a product that declares its tokens).
     */
    public Optional<String> currentAt(Version installed) {
        Optional<String> newest = Optional.empty();
        for (Release r : releases.headMap(installed, true).values()) {
            if (r.tokenFormats().introduces().isPresent()) {
                newest = r.tokenFormats().introduces();
            }
        }
        return newest.filter(f -> !deprecatedAt(installed).contains(f));
    }
}
