package io.uplift.cli;

import io.uplift.api.DemoSettings;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Lockbox installation on disk whose database settings point at a closed loopback port: enough
 * for every command that must fail or warn before it needs the database.
 */
final class FakeInstallation {
    static final List<String> NODE_LOCAL = List.of("config/database.properties", "config/keyset.json");

    private FakeInstallation() {}

    static Path create(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("app"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("app/VERSION"), version + "\n");
        Files.write(home.resolve(DatabaseSettings.FILE),
                new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/lockbox", "lockbox", "secret").toBytes());
        Files.writeString(home.resolve("config/keyset.json"), "{\"not\":\"a real keyset\"}\n");
        Installation.record(home, new InstallationState("lockbox", version, DemoSettings.shippedCatalog().toString(),
                Files.getOwner(home.resolve("app")).getName(), NodeLocalFiles.fingerprint(home, NODE_LOCAL), null, List.of()));
        return home;
    }
}
