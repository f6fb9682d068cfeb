package io.uplift.catalog;

import io.uplift.api.ClusterMode;
import java.nio.file.Files;
import java.nio.file.LinkOption;

import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.api.ObsoleteDependency;
import io.uplift.catalog.Release.PostUpgradeTask;
import io.uplift.catalog.Release.TaskMode;
import io.uplift.catalog.Release.TokenFormats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one release.yaml into a {@link Release}, recording every problem it meets. Its prerequisites
 * are {@link PrerequisitesReader}'s and its folder and path fields {@link ReleasePaths}'s.
 */
final class ReleaseReader {
    private static final Set<String> FIELDS = Set.of("version", "summary", "upgrade-from", "required-stop", "requires",
            "prerequisites", "cluster-mode", "migrations", "program-files", "program-files-sha256", "migrations-sha256", "node-local-files", "key-rotation-required",
            "encrypted-columns", "token-formats", "post-upgrade-tasks", "obsolete-dependencies");

    private final Problems problems;
    private final Map<Version, Integer> requiresLines = new HashMap<>();

    private final Optional<Set<String>> declaredTokenFormats;
    private final boolean requireChecksums;
    private final Map<Version, Integer> tokenFormatsLines = new HashMap<>();

    ReleaseReader(Problems problems) {
        this(problems, Optional.empty());
    }

    /** @param declaredTokenFormats the formats product.yaml declares, when it declares its tokens */
    ReleaseReader(Problems problems, Optional<Set<String>> declaredTokenFormats) {
        this(problems, declaredTokenFormats, true);
    }

    /** @param requireChecksums false only to compute a release's checksums, before release.yaml has them */
    ReleaseReader(Problems problems, Optional<Set<String>> declaredTokenFormats, boolean requireChecksums) {
        this.problems = problems;
        this.declaredTokenFormats = declaredTokenFormats;
        this.requireChecksums = requireChecksums;
    }

    /** The line of each release's 'token-formats' field, for the cross-release rules' messages. */
    Map<Version, Integer> tokenFormatsLines() {
        return tokenFormatsLines;
    }

    /** The line of each release's 'requires' field, for the cross-release rules' messages. */
    Map<Version, Integer> requiresLines() {
        return requiresLines;
    }

    /** Returns the release, or null when its version is unusable (the problem is recorded). */
    Release read(YamlMap map) {
        int errorsBefore = problems.all().size();
        map.rejectUnknown(FIELDS);
        Path folder = map.file().getParent();
        Version version = map.parsed("version", null, Version::parse);
        if (version != null && !version.equals(parseOrNull(folder.getFileName().toString()))) {
            map.problem(null, "version", "is " + version + " but the release folder is named "
                    + folder.getFileName() + "; rename the folder or fix the version");
        }
        String summary = map.optString("summary").orElse("");
        VersionRange upgradeFrom = map.parsed("upgrade-from", null, VersionRange::parse);
        boolean requiredStop = map.bool("required-stop", false);
        if (version != null) {
            requiresLines.put(version, map.lineOf("requires"));
        }
        List<Version> requires = new ArrayList<>();
        for (String text : map.strings("requires")) {
            try {
                requires.add(Version.parse(text));
            } catch (IllegalArgumentException e) {
                map.problem(null, "requires", e.getMessage());
            }
        }
        Prerequisites prerequisites = map.map("prerequisites").map(PrerequisitesReader::read).orElse(Prerequisites.none());
        Path migrations = ReleasePaths.folder(map, folder, "migrations", "migrations", false);
        Path programFiles = ReleasePaths.folder(map, folder, "program-files", "app", true);
        String programFilesSha256 = checksum(map, folder, ReleaseChecksums.PROGRAM_FILES_FIELD);
        String migrationsSha256 = checksum(map, folder, ReleaseChecksums.MIGRATIONS_FIELD);
        List<String> nodeLocal = map.strings("node-local-files");
        ReleasePaths.checkRelativePaths(map, "node-local-files", nodeLocal);
        boolean keyRotation = map.bool("key-rotation-required", false);
        List<EncryptedColumn> encrypted = map.maps("encrypted-columns").stream()
                .map(m -> {
                    m.rejectUnknown(Set.of("table", "column", "id-column", "key-id-column", "associated-data"));
                    String ad = m.optString("associated-data").orElse("none");
                    if (!ad.equals("none") && !ad.equals("id")) {
                        m.problem(null, "associated-data", "'" + ad + "' is not none or id");
                    }
                    return new EncryptedColumn(m.string("table"), m.string("column"), m.optString("id-column").orElse("id"),
                            m.optString("key-id-column").orElse(""), ad);
                }).toList();
        if (version != null) {
            tokenFormatsLines.put(version, map.lineOf("token-formats"));
        }
        TokenFormats tokens = map.map("token-formats").map(this::tokenFormats).orElse(new TokenFormats(Optional.empty(), List.of()));
        List<PostUpgradeTask> tasks = tasks(map);
        List<ObsoleteDependency> obsolete = map.maps("obsolete-dependencies").stream().map(m -> {
            m.rejectUnknown(Set.of("id", "description"));
            return new ObsoleteDependency(m.string("id"), m.optString("description").orElse(""));
        }).toList();
        ClusterMode clusterMode = clusterMode(map, migrations);
        if (version == null || problems.all().size() > errorsBefore) {
            return version == null ? null : partial(version, folder);
        }
        return new Release(version, summary, upgradeFrom, requiredStop, List.copyOf(requires), prerequisites,
                folder, migrations, programFiles, programFilesSha256, migrationsSha256, List.copyOf(nodeLocal), keyRotation, encrypted, tokens, tasks, obsolete,
                clusterMode);
    }

    /** A stand-in so the cross-release rules can still run and report their own problems. */
    private static Release partial(Version version, Path folder) {
        return new Release(version, "", VersionRange.any(), false, List.of(), Prerequisites.none(), folder, null, null, null, null,
                List.of(), false, List.of(), new TokenFormats(Optional.empty(), List.of()), List.of(), List.of(), ClusterMode.PRIMARY_FIRST);
    }

    /**
     * cluster-mode: primary-first (the default) or rolling. A rolling release declares that its
     * program and the previous release's run on the same schema while the cluster is mixed, so its
     * migrations are split: migrations/expand (run while the previous release still serves) and
     * migrations/contract (run at finalize, once no node of the previous release is left). A SQL file
     * anywhere else in the folder would be run at an unknown moment, so it is refused.
     */
    private static ClusterMode clusterMode(YamlMap map, Path migrations) {
        String text = map.optString("cluster-mode").orElse("primary-first");
        ClusterMode mode;
        switch (text) {
            case "primary-first" -> mode = ClusterMode.PRIMARY_FIRST;
            case "rolling" -> mode = ClusterMode.ROLLING;
            default -> {
                map.problem(null, "cluster-mode", "'" + text + "' is not primary-first or rolling");
                return ClusterMode.PRIMARY_FIRST;
            }
        }
        if (mode == ClusterMode.ROLLING) {
            if (migrations == null || !Files.isDirectory(migrations.resolve(Release.EXPAND_FOLDER), LinkOption.NOFOLLOW_LINKS)) {
                map.problem(null, "cluster-mode", "is rolling, so the release's migrations must be in migrations/" + Release.EXPAND_FOLDER
                        + " (run while the previous release serves) and migrations/" + Release.CONTRACT_FOLDER + " (run at finalize);"
                        + " there is no folder " + (migrations == null ? "migrations/" + Release.EXPAND_FOLDER : migrations.resolve(Release.EXPAND_FOLDER)));
            } else {
                try (var files = Files.list(migrations)) {
                    files.filter(f -> !f.getFileName().toString().equals(Release.EXPAND_FOLDER)
                                    && !f.getFileName().toString().equals(Release.CONTRACT_FOLDER))
                            .findFirst().ifPresent(f -> map.problem(null, "cluster-mode", "is rolling, but " + f + " is neither in "
                                    + Release.EXPAND_FOLDER + "/ nor in " + Release.CONTRACT_FOLDER + "/: move it into the one it belongs to"));
                } catch (java.io.IOException e) {
                    map.problem(null, "cluster-mode", "cannot list " + migrations + ": " + e.getMessage());
                }
            }
        }
        return mode;
    }

    /**
     * A checksum field: required, since without it a damaged or swapped release could not be told
     * from a good one. A reader that computes the checksums (for 'uplift catalog checksum') skips them.
     */
    private String checksum(YamlMap map, Path folder, String field) {
        if (!requireChecksums) {
            return null; // being computed: whatever stands there now (nothing, a stale or a placeholder value) does not count
        }
        Optional<String> value = map.optString(field);
        if (value.isEmpty()) {
            map.problem(null, field, "is missing; every release needs " + ReleaseChecksums.PROGRAM_FILES_FIELD + " and "
                    + ReleaseChecksums.MIGRATIONS_FIELD + ", so that a damaged or swapped package is refused. Run 'uplift catalog"
                    + " checksum " + folder + "' and add the lines it prints to this release.yaml");
            return null;
        }
        if (!value.get().matches("[0-9a-f]{64}")) {
            map.problem(null, field, "must be 64 lower-case hex digits, as 'uplift catalog checksum " + folder + "' prints them");
            return null;
        }
        return value.get();
    }

    private static Version parseOrNull(String text) {
        try {
            return Version.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private TokenFormats tokenFormats(YamlMap m) {
        m.rejectUnknown(Set.of("introduces", "deprecates"));
        Optional<String> introduces = m.optString("introduces");
        List<String> deprecates = List.copyOf(m.strings("deprecates"));
        if (introduces.isPresent() && deprecates.contains(introduces.get())) {
            m.problem(null, "deprecates", "'" + introduces.get() + "' is introduced and deprecated by the same release; keep one");
        }
        declaredTokenFormats.ifPresent(declared -> {
            introduces.filter(f -> !declared.contains(f)).ifPresent(f -> m.problem(null, "introduces", undeclared(f, declared)));
            deprecates.stream().filter(f -> !declared.contains(f)).forEach(f -> m.problem(null, "deprecates", undeclared(f, declared)));
        });
        return new TokenFormats(introduces, deprecates);
    }

    private static String undeclared(String format, Set<String> declared) {
        return "the token format '" + format + "' is not declared in product.yaml under tokens.formats (declared: "
                + String.join(", ", declared.stream().sorted().toList()) + "); declare it there or fix the name";
    }

    private List<PostUpgradeTask> tasks(YamlMap map) {
        List<PostUpgradeTask> tasks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlMap m : map.maps("post-upgrade-tasks")) {
            m.rejectUnknown(Set.of("id", "title", "mode", "sql", "instructions"));
            String id = m.string("id");
            if (id != null && !ids.add(id)) {
                m.problem(null, "id", "task id '" + id + "' is used twice in this release");
            }
            TaskMode mode = m.parsed("mode", null, text -> switch (text) {
                case "automatic" -> TaskMode.AUTOMATIC;
                case "manual" -> TaskMode.MANUAL;
                default -> throw new IllegalArgumentException("'" + text + "' is not automatic or manual");
            });
            Optional<String> sql = m.optString("sql");
            Optional<String> instructions = m.optString("instructions");
            if (mode == TaskMode.AUTOMATIC && sql.isEmpty()) {
                m.problem(null, "sql", "is missing; an automatic task needs the SQL that Uplift runs");
            }
            if (mode == TaskMode.MANUAL && instructions.isEmpty()) {
                m.problem(null, "instructions", "is missing; a manual task needs instructions for the operator");
            }
            tasks.add(new PostUpgradeTask(id, m.optString("title").orElse(id), mode, sql, instructions));
        }
        return List.copyOf(tasks);
    }
}
