package io.uplift.catalog;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a catalog folder (docs/catalog.md) and validates all of it before returning anything:
 * every file is read even after a problem, and all problems are reported together.
 */
public final class CatalogLoader {
    private static final Set<String> PRODUCT_FIELDS = Set.of("product", "name", "database", "node-local-files", "services",
            "tokens", "roles");
    private static final Set<String> SERVICES_FIELDS = Set.of("account", "stop", "start", "status");

    private final Problems problems = new Problems();

    private CatalogLoader() {}

    public static Catalog load(Path folder) {
        return new CatalogLoader().read(folder.toAbsolutePath().normalize());
    }

    /**
     * The checksums of one release folder (the one holding release.yaml) as its files are now, for the
     * vendor to put in that release.yaml: 'uplift catalog checksum'. The release must be valid apart
     * from the checksums themselves, which may be missing or stale.
     */
    public static ReleaseChecksums checksumsOf(Path releaseFolder) {
        CatalogLoader loader = new CatalogLoader();
        Path file = releaseFolder.toAbsolutePath().normalize().resolve("release.yaml");
        Release release = loader.readYaml(file).map(map -> new ReleaseReader(loader.problems, Optional.empty(), false).read(map))
                .orElse(null);
        loader.problems.throwIfAny(releaseFolder);
        if (release == null) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, file + " names no usable version; fix it first.");
        }
        return ReleaseChecksums.of(release.programFiles(), release.migrations(), release.postUpgradeTasks());
    }

    private Catalog read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The release catalog folder " + folder
                    + " does not exist or is not a folder: pass the folder that holds product.yaml with --catalog");
        }
        Product product = readProduct(folder.resolve("product.yaml"));
        TreeMap<Version, Release> releases = new TreeMap<>();
        Optional<TokenTable> tokens = product == null ? Optional.empty() : product.tokens();
        ReleaseReader releaseReader = new ReleaseReader(problems, tokens.map(t -> t.formats().keySet()));
        for (Path file : releaseFiles(folder)) {
            readYaml(file).ifPresent(map -> {
                Release release = releaseReader.read(map);
                if (release != null && releases.putIfAbsent(release.version(), release) != null) {
                    map.problem(null, "version", "version " + release.version() + " is declared by two releases; keep one");
                }
            });
        }
        if (releases.isEmpty() && problems.isEmpty()) {
            problems.add(folder.resolve("releases"), 1, "", "no release found: add releases/VERSION/release.yaml");
        }
        new CatalogRules(problems, releaseReader.requiresLines()).check(releases);
        if (tokens.isPresent()) {
            new TokenFormatRules(problems, releaseReader.tokenFormatsLines()).check(releases);
        }
        problems.throwIfAny(folder);
        return new Catalog(folder, product, java.util.Collections.unmodifiableNavigableMap(releases));
    }

    private List<Path> releaseFiles(Path folder) {
        Path releases = folder.resolve("releases");
        if (!Files.isDirectory(releases)) {
            problems.add(releases, 1, "", "the folder is missing: each release goes in releases/VERSION/release.yaml");
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(releases)) {
            List<Path> files = new ArrayList<>();
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path file = dir.resolve("release.yaml");
                if (Files.isRegularFile(file)) {
                    files.add(file);
                } else {
                    problems.add(file, 1, "", "the release folder " + dir.getFileName() + " has no release.yaml");
                }
            }
            return files;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "Cannot list " + releases + ": " + e.getMessage(), e);
        }
    }

    private Product readProduct(Path file) {
        Optional<YamlMap> read = readYaml(file);
        if (read.isEmpty()) {
            return null;
        }
        YamlMap map = read.get();
        map.rejectUnknown(PRODUCT_FIELDS);
        String id = map.string("product");
        if (id != null && !id.matches("[a-z0-9-]+")) {
            map.problem(null, "product", "'" + id + "' must be lower-case letters, digits and dashes");
        }
        String name = map.optString("name").orElse(id);
        String database = map.string("database");
        List<String> nodeLocal = map.strings("node-local-files");
        ReleasePaths.checkRelativePaths(map, "node-local-files", nodeLocal);
        Product.Services services = map.map("services").map(s -> {
            s.rejectUnknown(SERVICES_FIELDS);
            return new Product.Services(s.optString("account"), s.strings("stop"), s.strings("start"), s.strings("status"));
        }).orElse(Product.Services.none());
        Optional<TokenTable> tokens = map.map("tokens").map(TokenTableReader::read);
        List<String> roles = map.strings("roles");
        for (String role : roles) {
            if (!role.matches("[a-z][a-z0-9-]*")) {
                map.problem(null, "roles", "'" + role + "' must be a lower-case name such as web, worker or proxy");
            } else if (roles.indexOf(role) != roles.lastIndexOf(role)) {
                map.problem(null, "roles", "'" + role + "' is listed twice: name each role once, in the order a cluster upgrade takes them");
            }
        }
        return new Product(id, name, database, List.copyOf(nodeLocal), services, tokens, List.copyOf(roles));
    }

    /** Parses one file into a mapping; a syntax error becomes a problem with the line it was found on. */
    private Optional<YamlMap> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            problems.add(file, 1, "", "the file is missing");
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // YamlMap reports duplicates with their line
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                problems.add(file, 1, "", "the file is empty");
                return Optional.empty();
            }
            return Optional.of(new YamlMap(file, "", root, problems));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            problems.add(file, line, "", "not valid YAML: " + e.getProblem() + (e.getContextMark() == null || e.getContext() == null ? "" : " (" + e.getContext() + " that starts on line " + (e.getContextMark().getLine() + 1) + ")"));
            return Optional.empty();
        } catch (YAMLException | IOException e) {
            problems.add(file, 1, "", "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }
}
