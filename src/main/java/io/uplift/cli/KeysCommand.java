package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationRequest;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
import io.uplift.api.ProgressListener;
import io.uplift.api.RotationListener;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"The installation's encryption keys (config/keyset.json): without a subcommand, the same as 'keys status'.",
                "'keys rotate' adds a new primary key and re-encrypts every encrypted column under it while the product keeps",
                "reading; 'keys retire' disables old keys once their grace has passed and no value is under them; 'keys protect'",
                "seals the keyset under a master key that never lies beside it (a key file elsewhere, an environment variable",
                "or a passphrase)."},
        subcommands = {KeysCommand.Status.class, KeysCommand.Rotate.class, KeysCommand.Retire.class, KeysProtectCommand.class})
final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print the keys as JSON (shape: docs/json.md, 'keys --json').")
    boolean json;

    @Override
    public Integer call() {
        return Status.print(home.configure().load().keysStatus(), json, spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Lists the keys of the keyset: id, status (primary, enabled, retiring until DATE, disabled), and how many",
                    "values of each encrypted column of the installed release are under each key. Changes nothing."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--json", description = "Print the keys as JSON (shape: docs/json.md, 'keys --json').")
        boolean json;

        @Override
        public Integer call() {
            return print(home.configure().load().keysStatus(), json, spec.commandLine().getOut());
        }

        static int print(KeysStatus s, boolean json, PrintWriter out) {
            if (json) {
                JsonOutput.print(out, s);
                return 0;
            }
            out.printf("Keyset         %s/config/keyset.json, primary key %d%n", s.home(), s.primaryKeyId());
            out.printf("Rotation       %s%n", s.rotation());
            List<String> columns = s.columns().stream().map(KeysStatus.Column::column).toList();
            out.printf("  %-12s %-36s %s%n", "key", "status", String.join("  ", columns));
            for (KeysStatus.Key k : s.keys()) {
                String status = k.status().equals("retiring") ? "retiring until " + k.retiringUntil() : k.status();
                StringBuilder counts = new StringBuilder();
                for (String c : columns) {
                    counts.append(String.format("%," + Math.max(c.length(), 1) + "d  ", k.values().getOrDefault(c, 0L)));
                }
                out.printf("  %-12d %-36s %s%n", k.keyId(), status, counts.toString().stripTrailing());
            }
            for (KeysStatus.Column c : s.columns()) {
                if (c.unknownKey() > 0) {
                    out.printf("  %s: %,d values under a key the keyset does not hold: they cannot be decrypted%n", c.column(), c.unknownKey());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Adds a new key to the keyset and makes it primary, re-encrypts every value of the catalog's encrypted columns",
                    "under it in batches while the product keeps reading (old and new keys both decrypt throughout), verifies that",
                    "every value is under the new key and decrypts, then marks the old keys 'retiring' for the grace period.",
                    "Killed or failed, it is resumed by running it again: it goes on with the same new key, never adding another.",
                    "Refused while another Uplift command holds the lock (exit 15) or an upgrade is under way."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Mixin
        YesOption yes;

        @Option(names = "--grace", paramLabel = "DURATION",
                description = "How long the old keys keep decrypting once the rotation is verified, before 'keys retire' may disable"
                        + " them: 7d, 36h, 90m, P7D (default 7d; a resumed rotation keeps the grace it started with).")
        String grace;

        @Option(names = "--threads", paramLabel = "N", description = "Worker threads, each with its own database connection"
                + " (default: the cores, at least 2, at most 4; allowed 1 to 64).")
        Integer threads;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            KeyRotationRequest request = KeyRotationRequest.of(grace, threads);
            Uplift uplift = home.configure().load();
            uplift.checkKeyChange("uplift keys rotate");
            KeysStatus before = uplift.keysStatus();
            Status.print(before, false, out);
            String question = before.rotation().equals("none")
                    ? "Add a new primary key and re-encrypt " + String.format("%,d", before.columns().stream().mapToLong(KeysStatus.Column::values).sum())
                            + " values under it?"
                    : "Finish the unfinished rotation?";
            if (!yes.confirmed(question, "uplift keys rotate", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            KeyRotationResult r = uplift.rotateKeys(request, listener(out, err));
            out.printf("Rotation done in %.1f s: key %d is primary; %,d values re-encrypted%s, %,d verified.%n", r.millis() / 1000.0,
                    r.newPrimaryKeyId(), r.reencrypted(), r.resumed() ? " by this run (resumed)" : "", r.verified());
            for (KeyRotationResult.RetiringKey k : r.retiring()) {
                out.printf("Key %d still decrypts until %s; then 'uplift keys retire' disables it.%n", k.keyId(), k.until());
            }
            out.flush();
            return 0;
        }

        private static RotationListener listener(PrintWriter out, PrintWriter err) {
            return new RotationListener() {
                @Override
                public void message(String text) {
                    out.println(text);
                    out.flush();
                }

                @Override
                public ProgressListener progress(String phase) {
                    return new TerminalProgress(err, phase, "values");
                }
            };
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = {"Disables the retiring keys whose grace has passed, after confirmation. A key that values are still under is",
                    "refused (exit 25, naming the rows): disabling it would make them unreadable. Disabled keys stay in the keyset file."})
    static final class Retire implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Mixin
        YesOption yes;

        @Option(names = "--now", description = "Retire every retiring key now, without waiting for the end of its grace.")
        boolean now;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Uplift uplift = home.configure().load();
            uplift.checkKeyChange("uplift keys retire");
            List<Long> due = uplift.keysDueForRetirement(now);
            if (due.isEmpty()) {
                KeyRetirementResult r = uplift.retireKeys(false);
                out.println("No key is due for retirement" + (now ? "." : " (--now retires the retiring keys before their grace ends)."));
                r.waiting().forEach(k -> out.printf("Key %d is retiring until %s.%n", k.keyId(), k.until()));
                return 0;
            }
            String question = "Disable key" + (due.size() > 1 ? "s " : " ") + due.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).get()
                    + (now ? " now, before the end of the grace" : "") + "? Values still under it are refused first.";
            if (!yes.confirmed(question, "uplift keys retire", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            KeyRetirementResult r = uplift.retireKeys(now);
            r.disabled().forEach(k -> out.printf("Key %d disabled: it no longer decrypts.%n", k));
            r.waiting().forEach(k -> out.printf("Key %d is retiring until %s.%n", k.keyId(), k.until()));
            out.flush();
            return 0;
        }
    }
}
