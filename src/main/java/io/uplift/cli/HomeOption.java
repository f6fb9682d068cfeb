package io.uplift.cli;

import io.uplift.Uplift;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --home and --catalog, shared by every command that works on an installation. */
final class HomeOption {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:UPLIFT_HOME:-.}",
            description = "The installation's home folder (default: $UPLIFT_HOME, else the current folder).")
    Path home;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "The release catalog folder (default: the one recorded when the installation was made).")
    Path catalog;

    Uplift.Builder configure() {
        return configure(null);
    }

    /** The engine's settings; the fault knob UPLIFT_TEST_HOLD_AT is read here, for the crash tests only. */
    Uplift.Builder configure(java.nio.file.Path backupDir) {
        Uplift.Builder builder = Uplift.configure().home(home);
        if (catalog != null) {
            builder.catalog(catalog);
        }
        if (backupDir != null) {
            builder.backupDir(backupDir);
        }
        String hold = System.getenv("UPLIFT_TEST_HOLD_AT");
        if (hold != null && !hold.isBlank()) {
            builder.holdAt(hold);
        }
        return builder;
    }
}
