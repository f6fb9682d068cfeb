package io.uplift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the shipped Lockbox catalog that a test changes, each in a new folder the postgres user can read. */
public final class ShippedCatalog {
    /** A change to the copied catalog folder. */
    @FunctionalInterface
    public interface Edit {
        void apply(Path catalog) throws IOException;
    }

    private ShippedCatalog() {}

    /**
     * Brings the checksums in releases/VERSION/release.yaml up to date with its files, as a vendor does
     * after changing a release ('uplift catalog checksum'): for a test that changes a release on purpose.
     */
    public static void reseal(Path catalog, String version) throws IOException {
        Path release = catalog.resolve("releases").resolve(version);
        Path yaml = release.resolve("release.yaml");
        String text = Files.readString(yaml);
        for (String line : io.uplift.Uplift.catalogChecksum(release)) {
            String field = line.substring(0, line.indexOf(':'));
            text = text.replaceAll("(?m)^" + field + ":.*$", line);
        }
        Files.writeString(yaml, text);
    }

    public static Path copy(Edit edit) {
        Path shipped = Path.of(System.getProperty("uplift.distribution", "."), "examples", "lockbox", "catalog");
        Path copy = TestPostgres.newTraversableTempDir().resolve("catalog");
        try (Stream<Path> walk = Files.walk(shipped)) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(shipped.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            edit.apply(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }
}
