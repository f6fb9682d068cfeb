package io.uplift.gate;

import io.uplift.api.DemoSettings;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * A node's home for the gate's tests: .uplift/, config/keyset.json with a fingerprint header (the
 * envelope's shape, no real keys: the gate reads only the header), and config/database.properties
 * with .uplift/state.json pointing at a real test database, so that Uplift's own commands
 * ('uplift nodes', 'uplift status') work on the same home.
 */
record GateHome(Path home, TestPostgres.Database db) {
    static GateHome create(TestPostgres.Database db, String version, String keysetFingerprint) {
        Path home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        try {
            Files.createDirectories(home.resolve(".uplift"));
            Files.createDirectories(home.resolve("config"));
            Files.createDirectories(home.resolve("app"));
            Files.write(home.resolve(DatabaseSettings.FILE), new DatabaseSettings(db.jdbcUrl(), db.user(), db.password()).toBytes());
            if (keysetFingerprint != null) {
                writeKeyset(home, keysetFingerprint);
            }
            Installation.record(home, new InstallationState("lockbox", version, DemoSettings.shippedCatalog().toString(),
                    Files.getOwner(home.resolve("app")).getName(), NodeLocalFiles.fingerprint(home, List.of(DatabaseSettings.FILE)), null,
                    List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GateHome(home, db);
    }

    static void writeKeyset(Path home, String fingerprint) throws IOException {
        Files.writeString(home.resolve("config/keyset.json"), "{\n  \"format\" : \"uplift-keyset/1\",\n  \"purpose\" : \"test\",\n"
                + "  \"fingerprint\" : \"" + fingerprint + "\",\n  \"primaryKeyId\" : 1,\n"
                + "  \"master\" : { \"source\" : \"key-file\", \"path\" : \"/nowhere\", \"check\" : \"0011223344556677\" },\n"
                + "  \"encryptedKeyset\" : { \"encryptedKeyset\" : \"AAAA\", \"keysetInfo\" : { \"fingerprint\" : \"nested\" } }\n}\n");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    NodeGate gate(String programVersion) throws GateRefusal {
        return NodeGate.of(GateSettings.builder().home(home).product("lockbox").programVersion(programVersion).role("worker")
                .serviceAccount("lockbox-svc").connections(this::connect).build());
    }

    Path nodeIdFile() {
        return home.resolve(".uplift/node-id");
    }
}
