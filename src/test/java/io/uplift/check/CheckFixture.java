package io.uplift.check;

import io.uplift.catalog.Catalog;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import io.uplift.install.DatabaseProbe;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.plan.Planner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A CheckContext built from files only: a Lockbox home whose node-local files are recorded, a test
 * catalog, a plan, and a database probe given as a value (what the checks would have found).
 */
final class CheckFixture {
    static final List<String> NODE_LOCAL = List.of("config/database.properties", "config/keyset.json");
    static final DatabaseProbe PG10 = new DatabaseProbe(true, "", OptionalInt.of(10), "10.23", 8 * 1024 * 1024, Optional.of("1.0.0.001"));
    static final DatabaseProbe UNREACHABLE = DatabaseProbe.unreachable("Connection refused");

    final Path root;
    final Path home;
    Catalog catalog;
    DatabaseProbe database = PG10;
    Path backupDir;
    int java = 17;
    String osName = "Linux";
    String user = "root";

    CheckFixture(Path root, String installed) {
        this.root = root;
        this.home = root.resolve("home");
        this.backupDir = root.resolve("backups/not-yet");
        this.catalog = TestCatalog.lockbox(root.resolve("catalog")).load();
        try {
            Files.createDirectories(home.resolve("app"));
            Files.createDirectories(home.resolve("config"));
            Files.createDirectories(home.resolve("data"));
            Files.writeString(home.resolve("app/VERSION"), installed + "\n");
            Files.writeString(home.resolve("data/blob"), "x".repeat(1000));
            // Port 1 on loopback: nothing listens there, so a connection is refused at once.
            Files.write(home.resolve(DatabaseSettings.FILE),
                    new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/lockbox", "lockbox", "secret").toBytes());
            Files.writeString(home.resolve("config/keyset.json"), "{\"not\":\"a real keyset\"}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(installed, "root");
    }

    void record(String installed, String serviceAccount) {
        Installation.record(home, new InstallationState("lockbox", installed, catalog.folder().toString(), serviceAccount,
                NodeLocalFiles.fingerprint(home, NODE_LOCAL), null, List.of()));
    }

    CheckContext to(String target) {
        return to(target, database.major());
    }

    /** @param plannedWith the database major the planner is told (empty: it plans no database move) */
    CheckContext to(String target, OptionalInt plannedWith) {
        Installation installation = Installation.open(home);
        var plan = new Planner(catalog).plan(Version.parse(installation.state().version()), Version.parse(target), plannedWith);
        return new CheckContext(installation, catalog, plan, database, backupDir, java, osName, user);
    }
}
