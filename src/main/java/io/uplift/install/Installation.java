package io.uplift.install;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Version;
import io.uplift.journal.DurableFiles;
import io.uplift.journal.TrustedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One node's home folder (PRODUCT.md, "Installation"): app/ holds the program files of one version,
 * config/ the node-local files, data/ the node's data, .uplift/ Uplift's own state, lock and journal.
 */
public final class Installation {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path home;
    private final InstallationState state;

    private Installation(Path home, InstallationState state) {
        this.home = home;
        this.state = state;
    }

    /** Opens an existing installation, or explains why the folder is not one. Reads only. */
    public static Installation open(Path home) {
        Path dir = home.toAbsolutePath().normalize();
        Path stateFile = dir.resolve(InstallationState.FILE);
        if (!Files.isDirectory(dir)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The home folder " + dir
                    + " does not exist: pass the installation's folder with --home (or create a demo one with 'uplift demo --prepare-only --home " + dir + "').");
        }
        // As root, a home another account can write is refused before anything in it is read or written.
        TrustedFolder.require(dir);
        TrustedFolder.require(dir.resolve(".uplift"));
        if (!Files.isRegularFile(stateFile)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, dir + " is not an Uplift installation: "
                    + stateFile + " is missing. Pass the installation's folder with --home.");
        }
        try {
            InstallationState state = JSON.readValue(stateFile.toFile(), InstallationState.class);
            if (state.version() == null || state.product() == null) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The state file " + stateFile
                        + " lacks the product or the installed version; restore it from the backup of this node.");
            }
            requireVersion(stateFile, state.version());
            return new Installation(dir, state);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The state file " + stateFile + " cannot be read: "
                    + e.getMessage() + ". Restore it from the backup of this node.", e);
        }
    }

    /** Every command compares or plans from the installed version: one that is not a version is refused here, once. */
    private static void requireVersion(Path stateFile, String version) {
        try {
            Version.parse(version);
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The state file " + stateFile + " records the installed version '"
                    + version + "', which is not a version (numbers separated by dots, such as 2.1). The file was edited or damaged:"
                    + " restore it from the backup of this node, or write the version that app/VERSION names. Nothing was changed.");
        }
    }

    /** Records a new state durably and returns the installation as it now is. */
    public static Installation record(Path home, InstallationState state) {
        Path dir = home.toAbsolutePath().normalize();
        try {
            DurableFiles.write(dir.resolve(InstallationState.FILE), JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write " + dir.resolve(InstallationState.FILE)
                    + ": " + e.getMessage(), e);
        }
        return new Installation(dir, state);
    }

    public Path home() {
        return home;
    }

    public InstallationState state() {
        return state;
    }

    public Path app() {
        return home.resolve("app");
    }

    public Path config() {
        return home.resolve("config");
    }

    public Path data() {
        return home.resolve("data");
    }

    public Path upliftDir() {
        return home.resolve(".uplift");
    }

    public Path lockFile() {
        return upliftDir().resolve("lock");
    }

    /** The journal of an upgrade in progress; its presence means one is under way or interrupted. */
    public Path journalFile() {
        return upliftDir().resolve("journal.json");
    }

    public DatabaseSettings databaseSettings() {
        return DatabaseSettings.read(home);
    }
}
