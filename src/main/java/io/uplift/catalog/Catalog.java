package io.uplift.catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;

/** The releases an installation can move to, ordered by version. Immutable. */
public record Catalog(Path folder, Product product, NavigableMap<Version, Release> releases) {
    public Optional<Release> release(Version version) {
        return Optional.ofNullable(releases.get(version));
    }

    public List<String> versions() {
        return releases.keySet().stream().map(Version::toString).toList();
    }

    public Release newest() {
        return releases.lastEntry().getValue();
    }
}
