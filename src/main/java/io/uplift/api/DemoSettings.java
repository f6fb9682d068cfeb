package io.uplift.api;

import io.uplift.api.DemoSettings;
import java.nio.file.Path;

/**
 * How to build the demo installation.
 *
 * @param catalog the Lockbox release catalog (examples/lockbox/catalog of the Uplift distribution)
 */
public record DemoSettings(long events, long seed, Path catalog) {
    public static final long DEFAULT_EVENTS = 100_000;
    public static final long DEFAULT_SEED = 42;

    /** The Lockbox catalog that ships with Uplift: under the distribution folder, else the current one. */
    public static Path shippedCatalog() {
        String dist = System.getProperty("uplift.distribution");
        Path root = dist == null || dist.isBlank() ? Path.of("") : Path.of(dist);
        return root.resolve("examples/lockbox/catalog").toAbsolutePath().normalize();
    }
}
