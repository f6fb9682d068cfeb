package io.uplift.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes release catalogs (docs/catalog.md) into a folder for tests: product.yaml and
 * releases/VERSION/release.yaml, each release with its app/ and migrations/ folders.
 *
 * <p>Every release needs program-files-sha256 and migrations-sha256; a test states what it is about
 * and this class appends both checksums to each release.yaml, computed from the files (and again
 * after any file of the release is written through {@link #write}). A release.yaml that names a
 * checksum field itself, or that is written with {@link #releaseWithoutChecksums}, is left as given.
 */
public final class TestCatalog {
    public static final String LOCKBOX_PRODUCT = """
            product: lockbox
            name: Lockbox
            database: lockbox
            node-local-files:
              - config/database.properties
              - config/keyset.json
            services:
              account: lockbox
              stop: [app/bin/lockbox, stop]
              start: [app/bin/lockbox, start]
            """;

    private static final String NO_PROGRAM_FILES = "0".repeat(64);

    private final Path root;
    private final Map<String, String> releaseYaml = new TreeMap<>();

    private TestCatalog(Path root) {
        this.root = root;
    }

    /** An empty catalog folder (created) with no product.yaml and no releases yet. */
    public static TestCatalog at(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCatalog(root);
    }

    /** A catalog shaped like the demo product Lockbox (PRODUCT.md, "The demo product: Lockbox"). */
    public static TestCatalog lockbox(Path root) {
        return at(root).product(LOCKBOX_PRODUCT)
                .release("1.0", """
                        version: "1.0"
                        summary: Secrets, users, app tokens (format v1), events and threats
                        upgrade-from: "<1.0"
                        required-stop: false
                        requires: []
                        prerequisites:
                          postgresql: ">=10"
                        migrations: migrations
                        program-files: app
                        encrypted-columns:
                          - {table: secrets, column: value}
                        """)
                .release("1.1", """
                        version: "1.1"
                        summary: Maintenance release
                        upgrade-from: ">=1.0"
                        required-stop: true
                        prerequisites:
                          postgresql: ">=10"
                        migrations: migrations
                        program-files: app
                        """)
                .release("2.0", """
                        version: "2.0"
                        summary: Taxonomies, token format v2
                        upgrade-from: ">=1.1"
                        required-stop: false
                        requires: []
                        prerequisites:
                          postgresql: ">=10"
                        migrations: migrations
                        program-files: app
                        encrypted-columns:
                          - {table: secrets, column: value}
                        token-formats:
                          introduces: v2
                          deprecates: [v1]
                        post-upgrade-tasks:
                          - id: update-taxonomies
                            title: Update taxonomies
                            mode: automatic
                            sql: "UPDATE threats SET taxonomy_id = 1 WHERE taxonomy_id IS NULL"
                          - id: review-tokens
                            title: Review the v1 tokens
                            mode: manual
                            instructions: "Replace every v1 app token before 3.0"
                        """)
                .release("2.1", """
                        version: "2.1"
                        summary: A required stop
                        upgrade-from: ">=1.1"
                        required-stop: true
                        prerequisites:
                          postgresql: ">=10"
                        migrations: migrations
                        program-files: app
                        """)
                .release("3.0", """
                        version: "3.0"
                        summary: Partitioned events, mandatory key rotation
                        upgrade-from: ">=2.1"
                        required-stop: false
                        requires: []
                        prerequisites:
                          postgresql: ">=14"
                          move-database-to: 16
                          java: ">=17"
                        migrations: migrations
                        program-files: app
                        key-rotation-required: true
                        encrypted-columns:
                          - {table: secrets, column: value}
                        obsolete-dependencies:
                          - id: postgresql-10
                            description: The PostgreSQL 10 server the database was moved from
                        """);
    }

    public Path root() {
        return root;
    }

    /** The absolute, normalised path of a file in the catalog, as the loader names it in messages. */
    public Path file(String relative) {
        return root.resolve(relative).toAbsolutePath().normalize();
    }

    public TestCatalog product(String yaml) {
        return write("product.yaml", yaml);
    }

    /** Writes releases/FOLDER/release.yaml and creates the release's app/ and migrations/ folders. */
    public TestCatalog release(String folder, String yaml) {
        String dir = "releases/" + folder + "/";
        write(dir + "app/VERSION", folder + "\n");
        write(dir + "migrations/V" + folder.replace('.', '_') + "_0_001__change.sql", "SELECT 1;\n");
        return write(dir + "release.yaml", yaml);
    }

    /** Like {@link #release}, but release.yaml is written exactly as given: no checksums are added. */
    public TestCatalog releaseWithoutChecksums(String folder, String yaml) {
        release(folder, yaml);
        releaseYaml.remove(folder);
        return writeFile("releases/" + folder + "/release.yaml", yaml);
    }

    /** Writes releases/FOLDER/release.yaml only, replacing the folder: no app/ and no migrations/ folder. */
    public TestCatalog releaseFileOnly(String folder, String yaml) {
        Path dir = root.resolve("releases").resolve(folder);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return write("releases/" + folder + "/release.yaml", yaml);
    }

    /** A minimal valid release: version, upgrade-from, required-stop, requires, then any extra lines. */
    public TestCatalog simpleRelease(String version, String upgradeFrom, boolean requiredStop, List<String> requires,
            String... extraLines) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: \"").append(version).append("\"\n");
        yaml.append("summary: Release ").append(version).append('\n');
        yaml.append("upgrade-from: \"").append(upgradeFrom).append("\"\n");
        yaml.append("required-stop: ").append(requiredStop).append('\n');
        yaml.append("requires: [")
                .append(String.join(", ", requires.stream().map(r -> "\"" + r + "\"").toList())).append("]\n");
        yaml.append("migrations: migrations\n");
        yaml.append("program-files: app\n");
        for (String line : extraLines) {
            yaml.append(line).append('\n');
        }
        return release(version, yaml.toString());
    }

    /** Writes a file of the catalog; a file of a release brings that release's checksums up to date. */
    public TestCatalog write(String relative, String content) {
        String[] parts = relative.split("/");
        if (parts.length >= 3 && parts[0].equals("releases")) {
            String folder = parts[1];
            if (parts.length == 3 && parts[2].equals("release.yaml")) {
                releaseYaml.put(folder, content);
            } else {
                writeFile(relative, content);
            }
            String yaml = releaseYaml.get(folder);
            return yaml == null ? this : writeFile("releases/" + folder + "/release.yaml", sealed(root.resolve("releases").resolve(folder), yaml));
        }
        return writeFile(relative, content);
    }

    /** The release.yaml with the checksums of the release's files appended, when it parses and names neither. */
    @SuppressWarnings("unchecked")
    private static String sealed(Path dir, String yaml) {
        Object parsed;
        try {
            parsed = new org.yaml.snakeyaml.Yaml().load(yaml);
        } catch (RuntimeException e) {
            return yaml; // the test is about YAML the loader cannot read
        }
        if (!(parsed instanceof Map<?, ?> map) || map.containsKey(ReleaseChecksums.PROGRAM_FILES_FIELD)
                || map.containsKey(ReleaseChecksums.MIGRATIONS_FIELD)) {
            return yaml;
        }
        Path app = dir.resolve(String.valueOf(map.get("program-files") == null ? "app" : map.get("program-files")));
        Path migrations = dir.resolve(String.valueOf(map.get("migrations") == null ? "migrations" : map.get("migrations")));
        List<Release.PostUpgradeTask> tasks = new ArrayList<>();
        if (map.get("post-upgrade-tasks") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> t && t.get("sql") != null) {
                    tasks.add(new Release.PostUpgradeTask(String.valueOf(t.get("id")), "", Release.TaskMode.AUTOMATIC,
                            java.util.Optional.of(String.valueOf(t.get("sql"))), java.util.Optional.empty()));
                }
            }
        }
        // A missing program folder is what such a test is about: a well-formed stand-in keeps its problem list as it was.
        String programFiles = Files.isDirectory(app) ? io.uplift.catalog.TreeHash.of(app) : NO_PROGRAM_FILES;
        String migrationsSha = ReleaseChecksums.migrations(Files.isDirectory(migrations) ? migrations : null, tasks);
        return yaml + (yaml.endsWith("\n") ? "" : "\n") + ReleaseChecksums.PROGRAM_FILES_FIELD + ": " + programFiles + "\n"
                + ReleaseChecksums.MIGRATIONS_FIELD + ": " + migrationsSha + "\n";
    }

    private TestCatalog writeFile(String relative, String content) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Catalog load() {
        return CatalogLoader.load(root);
    }

    /**
     * Every file and folder below the root with its content and modification time, to show that
     * something left the folder exactly as it was.
     */
    public Map<String, String> snapshot() {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    List<String> children = new ArrayList<>();
                    try (Stream<Path> list = Files.list(p)) {
                        list.forEach(c -> children.add(c.getFileName().toString()));
                    }
                    children.sort(null);
                    result.put(key + "/", "dir " + children);
                } else {
                    result.put(key, Files.readString(p, StandardCharsets.UTF_8) + " @" + Files.getLastModifiedTime(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
