package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) of one PostgreSQL version,
 * ready to run: either unpacked from the zonky binaries jars that {@code mvn package} puts in
 * {@code target/pg-binaries}, or an installation already on the machine ({@code --pg-tools-dir}).
 */
public final class PgBinaries {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final int major;
    private final String version;
    private final Path binDir;

    private PgBinaries(int major, String version, Path binDir) {
        this.major = major;
        this.version = version;
        this.binDir = binDir;
    }

    /**
     * The newest binaries of {@code major} from the default binaries folder (system property
     * {@code uplift.pg.binaries}, else env {@code UPLIFT_PG_BINARIES}, else
     * {@code <uplift.distribution or working folder>/target/pg-binaries}), unpacked into the default
     * cache.
     */
    public static PgBinaries forMajor(int major) {
        BinariesFolder folder = BinariesFolder.fromEnvironment();
        return fromArchive(PgBinaryArchive.newest(folder.path(), major, folder.source()),
                new PgBinaryCache(PgBinaryCache.defaultRoot()));
    }

    /** The newest binaries of {@code major} from {@code binariesDir}, unpacked under {@code cacheRoot}. */
    public static PgBinaries forMajor(int major, Path binariesDir, Path cacheRoot) {
        return fromArchive(PgBinaryArchive.newest(binariesDir, major, "given folder"), new PgBinaryCache(cacheRoot));
    }

    private static PgBinaries fromArchive(PgBinaryArchive archive, PgBinaryCache cache) {
        Path installation = cache.unpack(archive);
        return new PgBinaries(archive.major(), archive.version(), installation.resolve("bin"));
    }

    /**
     * An installed PostgreSQL: {@code dir} is either its {@code bin} folder (as in
     * {@code /usr/lib/postgresql/16/bin}) or the folder above it. The version comes from
     * {@code postgres --version}.
     */
    public static PgBinaries fromDirectory(Path dir) {
        Path bin = Files.isRegularFile(dir.resolve("bin").resolve("postgres")) ? dir.resolve("bin") : dir;
        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(bin.resolve(program))) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "The PostgreSQL folder " + dir
                        + " has no executable " + program + " (looked in " + bin + "). Point --pg-tools-dir at a"
                        + " server installation (Debian: install postgresql-NN and use /usr/lib/postgresql/NN/bin),"
                        + " or leave it out to use the bundled binaries.");
            }
        }
        ExternalCommand.Result result = ExternalCommand.run(
                List.of(bin.resolve("postgres").toString(), "--version"), Duration.ofSeconds(30));
        Matcher m = VERSION.matcher(result.output());
        if (!result.succeeded() || !m.find()) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not read the version of "
                    + bin.resolve("postgres") + ": `postgres --version` printed '" + result.output().strip()
                    + "' (exit code " + result.exitCode() + "). Check that the installation is complete.");
        }
        String version = m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
        return new PgBinaries(Integer.parseInt(m.group(1)), version, bin.toAbsolutePath().normalize());
    }

    public int major() {
        return major;
    }

    /** Major and minor, as the server reports it: "16.15". */
    public String version() {
        return version;
    }

    public Path binDir() {
        return binDir;
    }

    Path program(String name) {
        return binDir.resolve(name);
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " (" + binDir + ")";
    }

    /** Where the binaries jars are, and which setting said so (for error messages). */
    private record BinariesFolder(Path path, String source) {
        static BinariesFolder fromEnvironment() {
            String property = System.getProperty("uplift.pg.binaries");
            if (property != null && !property.isBlank()) {
                return new BinariesFolder(Path.of(property), "system property uplift.pg.binaries");
            }
            String env = System.getenv("UPLIFT_PG_BINARIES");
            if (env != null && !env.isBlank()) {
                return new BinariesFolder(Path.of(env), "environment variable UPLIFT_PG_BINARIES");
            }
            String distribution = System.getProperty("uplift.distribution");
            Path base = distribution == null || distribution.isBlank() ? Path.of("").toAbsolutePath() : Path.of(distribution);
            return new BinariesFolder(base.resolve("target").resolve("pg-binaries"), "default location");
        }
    }
}
