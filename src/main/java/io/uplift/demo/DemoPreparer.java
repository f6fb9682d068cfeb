package io.uplift.demo;

import io.uplift.api.DemoResult;
import io.uplift.api.DemoSettings;
import io.uplift.api.GenerationResult;
import io.uplift.api.ProgressListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.install.ManagedDatabase;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.SchemaMigrations;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.InstallationKeyset;
import io.uplift.api.KeyEnvironment;
import io.uplift.keys.KeysetRecord;
import io.uplift.keys.KeysetStore;
import io.uplift.keys.MasterKeySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds a Lockbox 1.0 installation the way a vendor's installer would: a PostgreSQL 10 server that
 * Uplift manages, the database settings and keyset in config/, the 1.0 program files in app/, the
 * 1.0 schema, and generated data. If anything fails, what was made is removed again, so the folder
 * is as it was.
 */
public final class DemoPreparer {
    static final int POSTGRES_MAJOR = 10;
    static final Version FIRST_RELEASE = Version.parse("1.0");
    private static final String APP_USER = "lockbox";

    private final Path home;
    private final DemoSettings settings;

    public DemoPreparer(Path home, DemoSettings settings) {
        this.home = home.toAbsolutePath().normalize();
        this.settings = settings;
    }

    public DemoResult prepare(ProgressListener progress) {
        Catalog catalog = CatalogLoader.load(settings.catalog());
        Release release = catalog.release(FIRST_RELEASE).orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "The catalog " + catalog.folder() + " has no release " + FIRST_RELEASE + " to install the demo from."));
        refuseUsedHome();
        PgBinaries binaries = PgBinaries.forMajor(POSTGRES_MAJOR);
        OsUser serverUser = OsUser.serverUser();
        long start = System.nanoTime();
        boolean created = !Files.exists(home);
        boolean keyFileCreated = !Files.exists(masterKeyFile(home));
        PgServer server = null;
        try {
            for (String dir : List.of("app", "config", "data", ".uplift", "db")) {
                Files.createDirectories(home.resolve(dir));
            }
            // The server runs as another OS user when Uplift runs as root: it must be able to reach db/.
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            server = new PgServer(binaries, home.resolve("db").resolve("pg" + POSTGRES_MAJOR), 0, serverUser);
            String adminPassword = randomPassword();
            server.initdb("postgres", adminPassword);
            server.start();
            DatabaseSettings db = new DatabaseSettings(server.jdbcUrl(catalog.product().database()), APP_USER, randomPassword());
            createAppDatabase(server, adminPassword, db, catalog.product().database());
            Duration serverSetup = Duration.ofNanos(System.nanoTime() - start);

            DurableFiles.write(home.resolve(DatabaseSettings.FILE), db.toBytes());
            LockboxServiceSettings.write(home);
            // Sealed with a new key file beside the home (HOME.master-key), never inside it.
            InstallationKeyset keyset = KeysetStore.of(home.resolve("config/keyset.json"))
                    .create(MasterKeySource.keyFile(masterKeyFile(home)), KeyEnvironment.system()).keyset();
            copyTree(release.programFiles(), home.resolve("app"));
            SchemaMigrations.migrateTo(catalog, FIRST_RELEASE, db);
            GenerationResult data;
            try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
                KeysetRecord.write(conn, keyset.fingerprint(), keyset.primaryKeyId(), home);
                // From the first start on, the node gate compares the program's version with this one.
                InstalledVersionRecord.write(conn, catalog.product().id(), FIRST_RELEASE.toString());
                data = new LockboxDataGenerator(settings.events(), settings.seed())
                        .generate(conn, keyset.aead(), keyset.primaryKeyId(), progress);
            }
            String owner = Files.getOwner(home.resolve("app")).getName();
            Installation.record(home, new InstallationState(catalog.product().id(), FIRST_RELEASE.toString(),
                    catalog.folder().toString(), owner,
                    NodeLocalFiles.fingerprint(home, catalog.product().nodeLocalFiles()),
                    new ManagedDatabase(POSTGRES_MAJOR, server.dataDir().toString(), server.port(), serverUser.name()),
                    List.of()));
            return new DemoResult(home.toString(), FIRST_RELEASE.toString(), POSTGRES_MAJOR, db.url(), data, serverSetup,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | SQLException | RuntimeException e) {
            undo(server, created, keyFileCreated);
            if (e instanceof UpliftException u) {
                throw u;
            }
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Preparing the demo in " + home + " failed: "
                    + e.getMessage() + ". Nothing was left behind; fix the cause and run the command again.", e);
        }
    }

    private void refuseUsedHome() {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> entries = Files.list(home)) {
            if (entries.findAny().isPresent()) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The folder " + home
                        + " is not empty; the demo installs into an empty or new folder. Pass another --home, or remove it first.");
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read " + home + ": " + e.getMessage(), e);
        }
    }

    private static void createAppDatabase(PgServer server, String adminPassword, DatabaseSettings db, String name) throws SQLException {
        try (Connection conn = Jdbc.connect(server.jdbcUrl("postgres"), "postgres", adminPassword);
             Statement st = conn.createStatement()) {
            st.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + db.password() + "'");
            st.execute("CREATE DATABASE " + name + " OWNER " + APP_USER + " ENCODING 'UTF8'");
        }
    }

    /** The demo's master key file: a sibling of the home, so that copying the home does not copy the key. */
    public static Path masterKeyFile(Path home) {
        Path h = home.toAbsolutePath().normalize();
        return h.resolveSibling(h.getFileName() + ".master-key");
    }

    private void undo(PgServer server, boolean createdHome, boolean keyFileCreated) {
        try {
            if (server != null && server.isRunning()) {
                server.stop();
            }
        } catch (RuntimeException e) {
            // Best effort: the original failure is what the operator needs to see.
        }
        try {
            if (createdHome) {
                deleteTree(home);
            } else {
                try (Stream<Path> entries = Files.list(home)) {
                    for (Path p : entries.toList()) {
                        deleteTree(p);
                    }
                }
            }
            if (keyFileCreated) {
                Files.deleteIfExists(masterKeyFile(home));
            }
        } catch (IOException e) {
            // Same: report the cause, not the clean-up.
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Deletes a demo installation folder, the database cluster in it included. */
    public static void removeDemo(Path home) throws IOException {
        deleteTree(home);
        deleteTree(DemoLoad.loadDir(home));
        Files.deleteIfExists(masterKeyFile(home));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : walk.toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
