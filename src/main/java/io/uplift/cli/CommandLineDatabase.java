package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.Database;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** A database flag ({@code --source}, {@code --target}) and its password file flag, resolved the same way by every command. */
final class CommandLineDatabase {
    private CommandLineDatabase() {}

    static Database resolve(CommandSpec spec, String flag, String text, Path passwordFile) {
        return Uplift.resolveDatabase(flag, text, Optional.ofNullable(passwordFile), warning -> {
            spec.commandLine().getErr().println(warning);
            spec.commandLine().getErr().flush();
        });
    }
}
