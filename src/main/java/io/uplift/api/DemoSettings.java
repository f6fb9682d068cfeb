package io.uplift.api;

import java.nio.file.Path;

/**
 * How to build the demo installation.
 *
 * @param catalog the Lockbox release catalog (examples/lockbox/catalog of the Uplift distribution)
 */
public record DemoSettings(long events, long seed, Path catalog) {
    public static final long DEFAULT_EVENTS = 100_000;
    public static final long DEFAULT_SEED = 42;

    public DemoSettings {
        if (events < 0) {
            throw new UpliftException(ErrorCode.USAGE, "--events must be 0 or more, got " + events + ".");
        }
        if (catalog == null) {
            throw new UpliftException(ErrorCode.USAGE, "No Lockbox catalog given: pass --catalog DIR or use DemoSettings.shippedCatalog().");
        }
    }

    /** The Lockbox catalog that ships with Uplift: under the distribution folder, else the current one. */
    public static Path shippedCatalog() {
        String dist = System.getProperty("uplift.distribution");
        Path root = dist == null || dist.isBlank() ? Path.of("") : Path.of(dist);
        return root.resolve("examples/lockbox/catalog").toAbsolutePath().normalize();
    }
}
