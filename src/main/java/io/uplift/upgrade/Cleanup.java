package io.uplift.upgrade;

import io.uplift.api.ObsoleteDependency;
import io.uplift.api.CleanupItem;
import io.uplift.catalog.Catalog;
import io.uplift.db.OsUser;
import io.uplift.install.Installation;
import io.uplift.install.ManagedDatabase;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the obsolete dependencies of the installed releases that Uplift itself made (the old
 * PostgreSQL servers it managed before a database move) and lists the others for the operator.
 * Never touches the server the installation uses now, and never runs while an upgrade is unfinished:
 * the rollback of its database move starts the old server again ({@link ChangeLock}).
 */
public final class Cleanup {
    private static final Pattern OLD_SERVER = Pattern.compile("postgresql-(\\d+)");

    private final Path home;
    private final Catalog catalog;

    public Cleanup(Path home, Catalog catalog) {
        this.home = home;
        this.catalog = catalog;
    }

    public List<CleanupItem> run() throws IOException {
        Installation inst = Installation.open(home);
        List<CleanupItem> items = new ArrayList<>();
        try (HomeLock lock = ChangeLock.take(inst, "uplift cleanup")) {
            for (ObsoleteDependency d : new PostUpgradeTasks(home, catalog).obsoleteDependencies()) {
                Matcher m = OLD_SERVER.matcher(d.id());
                ManagedDatabase now = inst.state().managedDatabase();
                if (!m.matches()) {
                    items.add(new CleanupItem(d.id(), d.description(), false, "not Uplift's to remove: do it by hand once you are satisfied"));
                    continue;
                }
                int major = Integer.parseInt(m.group(1));
                Path dir = home.resolve("db").resolve("pg" + major);
                if (now != null && now.major() == major) {
                    items.add(new CleanupItem(d.id(), d.description(), false, "kept: the installation still uses PostgreSQL " + major));
                } else if (!Files.exists(dir)) {
                    items.add(new CleanupItem(d.id(), d.description(), false, "already gone"));
                } else {
                    new ProductDatabase(inst).stopServer(new ManagedDatabase(major, dir.toString(), 0, OsUser.serverUser().name()));
                    for (Path p : List.of(dir, dir.resolveSibling(dir.getFileName() + ".run"))) {
                        FileTrees.delete(p);
                    }
                    Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
                    items.add(new CleanupItem(d.id(), d.description(), true, "removed " + dir));
                }
            }
        }
        return items;
    }
}
