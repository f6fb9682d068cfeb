package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.AppToken;
import io.uplift.api.ReissuedToken;
import io.uplift.api.RevokedTokens;
import io.uplift.api.TokenList;
import io.uplift.api.TokenRevokeRequest;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = {"The product's app tokens. A release can deprecate a token format (Lockbox 2.0 deprecates v1):",
                "after such an upgrade, 'list --deprecated' shows the tokens to replace, 'reissue NAME' makes a new token",
                "with the same name, description and scope in the current format and shows it once, and, once the",
                "application uses the new token, 'revoke NAME' deletes the old one. Only SHA-256 hashes are stored."},
        subcommands = {TokensCommand.ListTokens.class, TokensCommand.Reissue.class, TokensCommand.Revoke.class})
final class TokensCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the app tokens: name, format, whether the installed release deprecates that format,",
                    "last use, scope and description. Never the tokens themselves: the product stores only their hashes."})
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--deprecated", description = "Only the tokens in a deprecated format: the ones to re-issue.")
        boolean deprecatedOnly;

        @Option(names = "--json", description = "Print the list as JSON (shape: docs/json.md, 'tokens list --json').")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Uplift uplift = home.configure().load();
            TokenList list = uplift.tokens(deprecatedOnly);
            if (json) {
                JsonOutput.print(out, list);
                return 0;
            }
            String at = list.product() + " " + list.installedVersion();
            String formats = list.deprecatedFormats().isEmpty() ? "no format is deprecated"
                    : "deprecated format" + (list.deprecatedFormats().size() == 1 ? " " : "s ") + String.join(", ", list.deprecatedFormats());
            out.printf("App tokens of %s (%s; new tokens get %s):%n", at, formats,
                    list.currentFormat() == null ? "no format: no release introduces one" : "format " + list.currentFormat());
            if (list.tokens().isEmpty()) {
                out.println(deprecatedOnly ? "  none is deprecated: nothing to re-issue ('uplift tokens list' shows every token)."
                        : "  none: the product has no app token yet; tokens are created in the product itself.");
                out.flush();
                return 0;
            }
            out.printf("  %-24s %-7s %-11s %-17s %-14s %s%n", "NAME", "FORMAT", "DEPRECATED", "LAST USED", "SCOPE", "DESCRIPTION");
            for (AppToken t : list.tokens()) {
                out.printf("  %-24s %-7s %-11s %-17s %-14s %s%n", t.name(), t.format(), t.deprecated() ? "yes" : "no",
                        minute(t.lastUsedAt()), orDash(t.scope()), orDash(t.description()));
            }
            long deprecated = list.deprecatedCount();
            out.printf("%d token%s, %d deprecated.%n", list.tokens().size(), list.tokens().size() == 1 ? "" : "s", deprecated);
            if (deprecated > 0) {
                out.println("Re-issue each deprecated one with 'uplift tokens reissue NAME', switch its application to the new token,");
                out.println("then delete the old one with 'uplift tokens revoke NAME'.");
            }
            out.flush();
            return 0;
        }

        /** "2026-03-01 10:09Z" from an ISO instant; the JSON keeps the full value. */
        private static String minute(String instant) {
            if (instant == null) {
                return "never";
            }
            return instant.length() >= 16 && instant.charAt(10) == 'T' ? instant.substring(0, 10) + " " + instant.substring(11, 16) + "Z" : instant;
        }

        static String orDash(String s) {
            return s == null || s.isEmpty() ? "-" : s;
        }
    }

    @Command(name = "reissue", mixinStandardHelpOptions = true,
            description = {"Creates a new token in the current format with the name, description and scope of the deprecated",
                    "token NAME, in one transaction, stores only its SHA-256 and prints the token once: store it at once,",
                    "it cannot be shown again. The old token keeps working until 'uplift tokens revoke NAME'."})
    static final class Reissue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Parameters(paramLabel = "NAME", description = "The token's name, as 'uplift tokens list --deprecated' shows it.")
        String name;

        @Mixin
        YesOption yes;

        @Option(names = "--json", description = "Print the new token and its details as JSON (shape: docs/json.md, 'tokens reissue --json').")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Uplift uplift = home.configure().load();
            if (!yes.confirmed("Re-issue the app token '" + name + "' in the current format?", "uplift tokens reissue", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            ReissuedToken t = uplift.reissueToken(name);
            if (json) {
                JsonOutput.print(out, t);
                return 0;
            }
            out.printf("Re-issued '%s' in format %s (scope %s; %s):%n%n", t.name(), t.format(), ListTokens.orDash(t.scope()),
                    ListTokens.orDash(t.description()));
            out.printf("  %s%n%n", t.token());
            out.println("Store it now: it is shown this once and never again (only its SHA-256 is kept).");
            if (!t.stillValid().isEmpty()) {
                out.printf("The %s token '%s' keeps working until you revoke it: switch the application to the new token, then run%n",
                        String.join(" and ", t.stillValid()), t.name());
                out.printf("  uplift tokens revoke %s --home %s%n", t.name(), uplift.home());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Deletes the deprecated tokens named NAME (or its tokens of --format), in one transaction: an",
                    "application still sending one is refused from then on. Refuses to delete the last token of a name",
                    "(re-issue it first) unless --even-if-last."})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Parameters(paramLabel = "NAME", description = "The token's name, as 'uplift tokens list' shows it.")
        String name;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "Revoke the token of this format instead of the deprecated ones (e.g. a re-issued token that was lost).")
        String format;

        @Option(names = "--even-if-last", description = "Revoke even when no other token of that name is left (nothing uses it any more).")
        boolean evenIfLast;

        @Mixin
        YesOption yes;

        @Option(names = "--json", description = "Print what was revoked as JSON (shape: docs/json.md, 'tokens revoke --json').")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TokenRevokeRequest request = new TokenRevokeRequest(name, Optional.ofNullable(format), evenIfLast);
            Uplift uplift = home.configure().load();
            String which = format == null ? "the deprecated token(s)" : "the " + format + " token(s)";
            if (!yes.confirmed("Revoke " + which + " named '" + name + "'? Applications still using them will be refused.",
                    "uplift tokens revoke", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            RevokedTokens r = uplift.revokeToken(request);
            if (json) {
                JsonOutput.print(out, r);
                return 0;
            }
            out.printf("Revoked %d token%s named '%s' (format %s).%n", r.revoked(), r.revoked() == 1 ? "" : "s", r.name(),
                    String.join(", ", r.revokedFormats()));
            out.println(r.remainingFormats().isEmpty() ? "No token of that name is left."
                    : "Left: the " + String.join(", ", r.remainingFormats()) + " token of that name.");
            out.flush();
            return 0;
        }
    }
}
