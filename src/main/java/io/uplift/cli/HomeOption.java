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
        Uplift.Builder builder = Uplift.configure().home(home);
        return catalog == null ? builder : builder.catalog(catalog);
    }
}
