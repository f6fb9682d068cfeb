package io.uplift.cli;

import io.uplift.db.PasswordSource;
import io.uplift.dbmove.PgUrl;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** A database flag ({@code --source}, {@code --target}) and its password file flag, resolved the same way by every command. */
final class CommandLineDatabase {
    private CommandLineDatabase() {}

    static PgUrl resolve(CommandSpec spec, String flag, String text, Path passwordFile) {
        return PgUrl.fromCommandLine(flag, text, flag + "-password-file", Optional.ofNullable(passwordFile), PasswordSource.system(),
                System.getenv(), warning -> {
                    spec.commandLine().getErr().println(warning);
                    spec.commandLine().getErr().flush();
                });
    }
}
