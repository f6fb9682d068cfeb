package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeysetProtection;
import io.uplift.api.MasterKeyTarget;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "protect", mixinStandardHelpOptions = true,
        description = {"Seals config/keyset.json with a master key: a keyset still in clear (written by Uplift before keysets were",
                "encrypted at rest, which Uplift now refuses) is sealed for the first time; a sealed one moves to another master key",
                "source. The keys themselves do not change, so every encrypted value stays readable. Also records the keyset's",
                "fingerprint in the database when none is recorded, and refuses a keyset whose fingerprint differs from the recorded one.",
                "The key file must lie outside config/ and be readable by its owner only (chmod 600); a missing one is created",
                "(32 random bytes). A passphrase is stretched with Argon2id (64 MiB, 3 passes); it comes from $UPLIFT_KEYSET_PASSPHRASE",
                "or is asked twice on the terminal. Exit 12 when the keyset cannot be opened or belongs to another database."})
final class KeysProtectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--key-file", paramLabel = "FILE",
                description = "A master key file outside config/, e.g. /etc/uplift/master.key (created if missing, mode 600).")
        Path keyFile;

        @Option(names = "--key-env", paramLabel = "VARIABLE",
                description = "An environment variable holding the base64 of a 32-byte master key (e.g. UPLIFT_MASTER_KEY).")
        String keyEnv;

        @Option(names = "--passphrase", description = "A passphrase, from $UPLIFT_KEYSET_PASSPHRASE or asked on the terminal.")
        boolean passphrase;
    }

    @Mixin
    YesOption yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Uplift uplift = home.configure().load();
        uplift.checkChange("uplift keys protect");
        MasterKeyTarget source = target.keyFile != null ? new MasterKeyTarget.KeyFile(target.keyFile)
                : target.keyEnv != null ? new MasterKeyTarget.Environment(target.keyEnv) : MasterKeyTarget.passphrase();
        if (!yes.confirmed("Seal " + uplift.home().resolve("config/keyset.json") + " with " + source.describe() + "?",
                "uplift keys protect", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        KeyEnvironment env = source instanceof MasterKeyTarget.Passphrase p ? newPassphrase(p.variable()) : KeyEnvironment.system();
        KeysetProtection done = uplift.protectKeyset(source, env);
        out.printf("Keyset %s sealed with %s.%n", done.file(), source.describe());
        out.printf("  fingerprint  %s (primary key %d)%n", done.fingerprint(), done.primaryKeyId());
        out.printf("  database     %s%n", done.recorded() ? "fingerprint recorded" : "fingerprint already recorded");
        out.flush();
        return 0;
    }

    /** The new passphrase: from the variable, else asked twice on the terminal. */
    private static KeyEnvironment newPassphrase(String variable) {
        KeyEnvironment system = KeyEnvironment.system();
        if (system.variables().apply(variable) != null && !system.variables().apply(variable).isEmpty()) {
            return system;
        }
        Console console = System.console();
        if (console == null) {
            throw new UpliftException(ErrorCode.USAGE, "--passphrase needs the passphrase: set " + variable
                    + " or run on a terminal to be asked for it.");
        }
        char[] first = console.readPassword("New passphrase of the keyset: ");
        char[] second = console.readPassword("The same passphrase again: ");
        if (first == null || first.length < 12 || !Arrays.equals(first, second)) {
            throw new UpliftException(ErrorCode.USAGE, "The two passphrases differ or are shorter than 12 characters; nothing was changed.");
        }
        return new KeyEnvironment(system.variables(), question -> Optional.of(first.clone()));
    }
}
