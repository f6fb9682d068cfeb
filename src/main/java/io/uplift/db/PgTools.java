package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The "PG tools directory" (PRODUCT.md, "Real components"): the folder holding {@code pg_dump} and
 * {@code pg_restore}. Given explicitly ({@code --pg-tools-dir}) or, by default, the newest
 * {@code /usr/lib/postgresql/N/bin}, where Debian's postgresql-client-N packages put them.
 *
 * <p>pg_dump dumps servers of its own major version and older, never newer ones: a 15 client cannot
 * dump a 16 server. {@link #requireCanDump} says so before anything is written.
 */
public final class PgTools {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(\\S*)");

    private final Path folder;
    private final String version;
    private final int major;

    private PgTools(Path folder, String version, int major) {
        this.folder = folder;
        this.version = version;
        this.major = major;
    }

    /** The given folder, else the newest Debian client tools; checks both tools and reads the version. */
    public static PgTools locate(Optional<Path> folder) {
        return locate(folder, DEBIAN_ROOT);
    }

    static PgTools locate(Optional<Path> folder, Path debianRoot) {
        Path dir = folder.map(p -> p.toAbsolutePath().normalize()).orElseGet(() -> newestUnder(debianRoot));
        if (!Files.isDirectory(dir)) {
            throw new UpliftException(ErrorCode.PG_TOOLS, "The PG tools directory " + dir + " does not exist. Pass"
                    + " --pg-tools-dir with the folder holding pg_dump, pg_restore and psql (e.g. /usr/lib/postgresql/16/bin).");
        }
        for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
            if (!Files.isExecutable(dir.resolve(tool))) {
                throw new UpliftException(ErrorCode.PG_TOOLS, "The PG tools directory " + dir + " holds no executable "
                        + tool + ". Install the PostgreSQL client tools there (Debian: apt-get install postgresql-client-N) or pass"
                        + " --pg-tools-dir with the folder that holds pg_dump, pg_restore and psql.");
            }
        }
        String text = readVersion(dir.resolve("pg_dump"));
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            throw new UpliftException(ErrorCode.PG_TOOLS, dir.resolve("pg_dump") + " --version printed '" + text.strip()
                    + "', which is not a PostgreSQL version. Pass --pg-tools-dir with the bin folder of a PostgreSQL client installation.");
        }
        int first = Integer.parseInt(m.group(1));
        String version = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
        // Before PostgreSQL 10 the major version had two parts (9.6); those tools dump nothing Uplift meets.
        return new PgTools(dir, version, first);
    }

    private static Path newestUnder(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/pg_dump")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())))
                    .map(d -> d.resolve("bin"))
                    .orElseThrow(() -> noDefault(root));
        } catch (IOException e) {
            throw noDefault(root);
        }
    }

    private static UpliftException noDefault(Path root) {
        return new UpliftException(ErrorCode.PG_TOOLS, "No PostgreSQL client tools found in " + root + "/*/bin. Install"
                + " them (Debian: apt-get install postgresql-client-N, with N at least the database server's major version)"
                + " or pass --pg-tools-dir with the folder holding pg_dump, pg_restore and psql.");
    }

    private static String readVersion(Path pgDump) {
        ToolRun.Result r = ToolRun.run(List.of(pgDump.toString(), "--version"), Map.of(), line -> { }, Duration.ofSeconds(30), ErrorCode.PG_TOOLS);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.PG_TOOLS, pgDump + " --version failed with exit code " + r.exitCode()
                    + ": " + r.stderrTail() + " Repair the client tools installation or pass --pg-tools-dir with another one.");
        }
        return r.stdout();
    }

    public Path folder() {
        return folder;
    }

    public Path pgDump() {
        return folder.resolve("pg_dump");
    }

    public Path pgRestore() {
        return folder.resolve("pg_restore");
    }

    public Path psql() {
        return folder.resolve("psql");
    }

    /** pg_dump's version, such as "15.18". */
    public String version() {
        return version;
    }

    public int major() {
        return major;
    }

    /** Refuses a server newer than the tools: pg_dump would refuse it anyway, with a less helpful message. */
    public void requireCanDump(int serverMajor) {
        if (major < serverMajor) {
            throw new UpliftException(ErrorCode.PG_TOOLS, "The database server is PostgreSQL " + serverMajor + " but pg_dump in "
                    + folder + " is version " + version + ", and pg_dump cannot dump a server newer than itself. Install the"
                    + " client tools of PostgreSQL " + serverMajor + " or newer (Debian: apt-get install postgresql-client-"
                    + serverMajor + ") or pass --pg-tools-dir with the bin folder of pg_dump " + serverMajor + " or newer.");
        }
    }

    @Override
    public String toString() {
        return "pg_dump " + version + " in " + folder;
    }
}
