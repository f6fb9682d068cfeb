package io.uplift.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a catalog whose releases carry the jars the build produced: a copy of a source catalog in
 * which every releases/VERSION/app/lib/ also holds the given jars, and every release.yaml's
 * program-files-sha256 is recomputed over the program files as they are then. The sources hold no
 * jars (they are built, not committed); Uplift's build runs this in prepare-package (exec-maven-plugin)
 * to make target/lockbox-catalog, which the demo uses in a source checkout and the tarball ships as
 * examples/lockbox/catalog.
 *
 * <p>A build step (a class with a main), not an 'uplift catalog' verb: a vendor's own build makes
 * its release folders its own way and computes the checksums with 'uplift catalog checksum'; this
 * only assembles Uplift's demo product. release.yaml is edited as text, one line, so that its
 * comments and layout stay as the vendor wrote them.
 *
 * <pre>java io.uplift.catalog.CatalogAssembly SOURCE OUT JAR_OR_FOLDER...</pre>
 */
public final class CatalogAssembly {
    private static final Pattern PROGRAM_FILES_LINE = Pattern.compile("(?m)^(" + ReleaseChecksums.PROGRAM_FILES_FIELD + ":\\s*)[0-9a-f]{64}");

    private CatalogAssembly() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: CatalogAssembly SOURCE_CATALOG OUT_FOLDER JAR_OR_FOLDER_OF_JARS...");
        }
        List<Path> jars = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            jars.addAll(jars(Path.of(args[i])));
        }
        List<String> releases = assemble(Path.of(args[0]), Path.of(args[1]), jars);
        System.out.println("Assembled " + args[1] + ": releases " + String.join(", ", releases) + " with " + jars.size() + " jars each");
    }

    /** @return the versions assembled */
    public static List<String> assemble(Path source, Path out, List<Path> jars) throws IOException {
        if (!Files.isRegularFile(source.resolve("product.yaml"))) {
            throw new IllegalArgumentException("The source catalog " + source + " has no product.yaml; name the catalog folder.");
        }
        deleteTree(out);
        copyTree(source, out);
        List<String> versions = new ArrayList<>();
        try (Stream<Path> releases = Files.list(out.resolve("releases"))) {
            for (Path release : releases.filter(p -> Files.isRegularFile(p.resolve("release.yaml"))).sorted().toList()) {
                Path lib = release.resolve("app").resolve("lib");
                Files.createDirectories(lib);
                for (Path jar : jars) {
                    Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
                rewriteProgramFilesChecksum(release.resolve("release.yaml"), TreeHash.of(release.resolve("app")));
                versions.add(release.getFileName().toString());
            }
        }
        return versions;
    }

    private static void rewriteProgramFilesChecksum(Path yaml, String checksum) throws IOException {
        String text = Files.readString(yaml, StandardCharsets.UTF_8);
        Matcher m = PROGRAM_FILES_LINE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(yaml + " has no line '" + ReleaseChecksums.PROGRAM_FILES_FIELD + ": <64 hex>' to update.");
        }
        Files.writeString(yaml, m.replaceFirst(Matcher.quoteReplacement(m.group(1) + checksum)), StandardCharsets.UTF_8);
    }

    private static List<Path> jars(Path p) throws IOException {
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("No jar or folder of jars at " + p.toAbsolutePath()
                    + ": build Lockbox first (mvn install in the root builds the reactor in order).");
        }
        try (Stream<Path> list = Files.list(p)) {
            return list.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : walk.toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dst);
                } else {
                    // COPY_ATTRIBUTES keeps the executable bit, which the program-files checksum covers.
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
