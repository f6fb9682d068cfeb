package io.uplift.api;

import java.nio.file.Path;

/**
 * How to build the demo installation.
 *
 * @param catalog the Lockbox release catalog ({@link #demoCatalog()} for the demo)
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

    /**
     * The Lockbox catalog's sources: examples/lockbox/catalog under the distribution folder, else the
     * current one. In a source checkout its releases hold no jars (tests that never start Lockbox use it).
     */
    public static Path shippedCatalog() {
        return distributionRoot().resolve("examples/lockbox/catalog").toAbsolutePath().normalize();
    }

    /**
     * The catalog the demo installs and runs Lockbox from: in a source checkout (the folder holds
     * uplift.pom.xml) the built one, target/lockbox-catalog, whose releases carry the Lockbox jars; in
     * the distribution, examples/lockbox/catalog, which is that built catalog packed.
     */
    public static Path demoCatalog() {
        Path root = distributionRoot();
        if (java.nio.file.Files.isRegularFile(root.resolve("uplift.pom.xml"))) {
            Path built = root.resolve("target/lockbox-catalog").toAbsolutePath().normalize();
            if (!java.nio.file.Files.isRegularFile(built.resolve("product.yaml"))) {
                throw new UpliftException(ErrorCode.CATALOG_INVALID, "The Lockbox catalog with its jars, " + built + ", is not built yet:"
                        + " run 'mvn -DskipTests package' in " + root.toAbsolutePath().normalize() + " (./uplift does it by itself).");
            }
            return built;
        }
        return shippedCatalog();
    }

    /**
     * The load generator's jar: bench/loadgen/target/uplift-loadgen.jar in a source checkout,
     * bench/uplift-loadgen.jar in the distribution (not in lib/, whose jars are Uplift's class path).
     */
    public static Path loadGenerator() {
        Path root = distributionRoot();
        Path jar = java.nio.file.Files.isRegularFile(root.resolve("uplift.pom.xml"))
                ? root.resolve("bench/loadgen/target/uplift-loadgen.jar") : root.resolve("bench/uplift-loadgen.jar");
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new UpliftException(ErrorCode.USAGE, "The load generator " + jar.toAbsolutePath().normalize() + " is not built:"
                    + " run 'mvn -DskipTests package' in the source folder (./uplift does it by itself).");
        }
        return jar.toAbsolutePath().normalize();
    }

    private static Path distributionRoot() {
        String dist = System.getProperty("uplift.distribution");
        return dist == null || dist.isBlank() ? Path.of("") : Path.of(dist);
    }
}
