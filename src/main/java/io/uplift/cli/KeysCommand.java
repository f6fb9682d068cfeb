package io.uplift.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"The installation keyset (config/keyset.json): the encryption keys of the product's secrets, stored encrypted",
                "with a master key that never lies beside it (a key file elsewhere, an environment variable or a passphrase)."},
        subcommands = {KeysProtectCommand.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
