package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.plan.Hop;
import io.uplift.plan.Planner;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A Lockbox 1.0 home next to a test catalog, and the context of one step of the hop 1.0 -> 1.1:
 * enough for the steps that work on files only (no journal, no backups, no database).
 */
final class StepFixture {
    static final List<String> NODE_LOCAL = List.of("config/database.properties", "config/keyset.json");

    final Path home;
    final Catalog catalog;
    final Hop hop;

    StepFixture(Path dir) throws IOException {
        this(dir, TestCatalog.LOCKBOX_PRODUCT);
    }

    /** With another product.yaml (its services, say). */
    StepFixture(Path dir, String productYaml) throws IOException {
        catalog = TestCatalog.lockbox(dir.resolve("catalog")).product(productYaml).load();
        home = dir.resolve("home");
        Files.createDirectories(home.resolve("config"));
        FileTrees.copy(release("1.0").programFiles(), home.resolve("app"));
        Files.write(home.resolve(DatabaseSettings.FILE),
                new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/lockbox", "lockbox", "secret").toBytes());
        Files.writeString(home.resolve("config/keyset.json"), "{\"not\":\"a real keyset\"}\n");
        Installation.record(home, new InstallationState("lockbox", "1.0", catalog.folder().toString(), "root",
                NodeLocalFiles.fingerprint(home, NODE_LOCAL), null, List.of()));
        hop = new Planner(catalog).plan(Version.parse("1.0"), Version.parse("1.1"), OptionalInt.of(10)).hops().get(0);
    }

    Release release(String version) {
        return catalog.release(Version.parse(version)).orElseThrow();
    }

    StepContext context(StepKind kind) {
        Step step = hop.steps().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
        return new StepContext(home, catalog, hop, List.of(release("1.1")), step, null, null, UpgradeListener.NONE, false);
    }

    Path app() {
        return home.resolve("app");
    }
}
