package io.uplift.demo;

import io.uplift.api.ErrorCode;
import io.uplift.api.JoinedNode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.TreeHash;
import io.uplift.catalog.Version;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.KeysetSeal;
import io.uplift.keys.KeysetStore;
import io.uplift.keys.MasterKeySource;
import io.uplift.keys.SealedKeyset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adds a node to an existing demo installation the way a vendor's installer joins a new server to a
 * cluster: a new home beside the first one, with the program files of the installed release taken
 * from the catalog (checksum checked, never copied from the first node's app/), its own database
 * settings pointing at the same product database, the cluster's keyset, its own loopback port, and
 * Uplift's state without a managed database server (the first home manages the one server).
 * If anything fails, what was made is removed again.
 */
public final class ClusterNodeJoin {
    private static final List<String> FOLDERS = List.of("app", "config", "data", ".uplift");

    private final Path firstHome;
    private final Path newHome;
    private final InstallationCatalog catalogs;

    public ClusterNodeJoin(Path firstHome, Path newHome, InstallationCatalog catalogs) {
        this.firstHome = firstHome.toAbsolutePath().normalize();
        this.newHome = newHome.toAbsolutePath().normalize();
        this.catalogs = catalogs;
    }

    public JoinedNode join() {
        if (newHome.equals(firstHome) || newHome.startsWith(firstHome) || firstHome.startsWith(newHome)) {
            throw new UpliftException(ErrorCode.USAGE, "The new node's home " + newHome + " must lie outside the home it joins, "
                    + firstHome + ", and not contain it: give a folder beside it, e.g. " + firstHome + "-node2.");
        }
        Installation first = Installation.open(firstHome);
        if (Files.exists(first.journalFile())) {
            // Its state still names the old version while the database may already be the new one.
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "An upgrade is under way or interrupted in " + firstHome
                    + " (" + first.journalFile() + "): a node joined now would get the release it leaves. Finish it with 'uplift resume"
                    + " --home " + firstHome + "' (or undo it with 'uplift rollback'), then join the node. Nothing was changed.");
        }
        Catalog catalog = catalogs.of(first);
        Version version = Version.parse(first.state().version());
        Release release = catalog.release(version).orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "The catalog " + catalog.folder() + " has no release " + version + ", the version installed in " + firstHome
                        + ": pass the vendor's catalog that holds it with --catalog DIR."));
        refuseUsedHome();
        Path keyFile = DemoPreparer.masterKeyFile(newHome);
        if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "A master key file " + keyFile + " already lies beside the new home;"
                    + " it would belong to another installation. Move it away or choose another folder for the new node.");
        }
        boolean created = !Files.exists(newHome);
        try {
            for (String dir : FOLDERS) {
                Files.createDirectories(newHome.resolve(dir));
            }
            // No database server lives here, so nobody but the owner needs to enter the home.
            Files.setPosixFilePermissions(newHome, PosixFilePermissions.fromString("rwx------"));
            installProgramFiles(release);
            // A node-local file written for this node. The same database user as the first node: one
            // product database, one account; a vendor could give each node its own.
            DurableFiles.write(newHome.resolve(DatabaseSettings.FILE), first.databaseSettings().toBytes());
            giveClusterKeyset(keyFile);
            LockboxServiceSettings.write(newHome);
            String owner = Files.getOwner(newHome.resolve("app")).getName();
            // managedDatabase null: the one server is managed by the first home; starting or
            // stopping it from this node would pull it from under the other nodes.
            Installation.record(newHome, new InstallationState(first.state().product(), version.toString(),
                    catalog.folder().toString(), owner, NodeLocalFiles.fingerprint(newHome, catalog.product().nodeLocalFiles()),
                    null, List.of()));
            return new JoinedNode(newHome.toString(), firstHome.toString(), version.toString(),
                    "http://127.0.0.1:" + LockboxServiceSettings.port(newHome));
        } catch (IOException | RuntimeException e) {
            undo(created, keyFile);
            if (e instanceof UpliftException u) {
                throw u;
            }
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Joining a node in " + newHome + " to " + firstHome + " failed: "
                    + e.getMessage() + ". Nothing was left behind; fix the cause and run the command again.", e);
        }
    }

    /** From the catalog, as an upgrade stages them; a copy that does not match the release's checksum is refused. */
    private void installProgramFiles(Release release) throws IOException {
        Path app = newHome.resolve("app");
        DemoPreparer.copyTree(release.programFiles(), app);
        String found = TreeHash.of(app);
        if (!found.equals(release.programFilesSha256())) {
            throw new UpliftException(ErrorCode.RELEASE_CORRUPT, "The program files of release " + release.version() + " copied from "
                    + release.programFiles() + " do not match the release's program-files-sha256 (got " + found.substring(0, 12)
                    + ", expected " + release.programFilesSha256().substring(0, 12) + "). The catalog or the disk is damaged:"
                    + " get the release again from the vendor. Nothing was left behind.");
        }
    }

    /**
     * The installer's job, done once when a node joins: the joining node gets the cluster's keyset
     * (the same keys, so it decrypts what the others wrote) and, for a key-file seal, a copy of the
     * master key beside its own home, so it does not depend on the first node's folder. On this one
     * machine the copy is a local file copy; between machines the installer carries it by a secure
     * channel. Upgrades never copy node-local files from one node to another: this is install time.
     */
    private void giveClusterKeyset(Path keyFile) throws IOException {
        KeysetStore firstStore = KeysetStore.of(firstHome.resolve("config/keyset.json"));
        SealedKeyset cluster = firstStore.open(KeyEnvironment.system());
        KeysetStore mine = KeysetStore.of(newHome.resolve("config/keyset.json"));
        KeysetSeal seal = cluster.seal();
        if (seal.source() instanceof MasterKeySource.KeyFile firstKey) {
            DurableFiles.write(keyFile, Files.readAllBytes(firstKey.path()));
            seal = mine.newSeal(MasterKeySource.keyFile(keyFile), KeyEnvironment.system());
        }
        // Same keys, same fingerprint: only the header's key file path differs from the first node's.
        mine.write(cluster.keyset(), seal);
    }

    private void refuseUsedHome() {
        if (!Files.exists(newHome)) {
            return;
        }
        try (Stream<Path> entries = Files.list(newHome)) {
            if (entries.findAny().isPresent()) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The folder " + newHome
                        + " is not empty; a joining node goes into an empty or new folder. Choose another one, or remove it first.");
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read " + newHome + ": " + e.getMessage(), e);
        }
    }

    private void undo(boolean createdHome, Path keyFile) {
        try {
            if (createdHome) {
                DemoPreparer.deleteTree(newHome);
            } else if (Files.isDirectory(newHome)) {
                try (Stream<Path> entries = Files.list(newHome)) {
                    for (Path p : entries.toList()) {
                        DemoPreparer.deleteTree(p);
                    }
                }
            }
            Files.deleteIfExists(keyFile); // refused above when it existed, so it is ours
        } catch (IOException e) {
            // Best effort: the original failure is what the operator needs to see.
        }
    }
}
