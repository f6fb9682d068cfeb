package io.uplift.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The README.txt of a support bundle: what is in it, what was left out on purpose, and why. */
final class BundleReadme {
    private static final Map<String, String> MEANING = Map.of(
            "status.json", "'uplift status --json': versions, database, node-local files (their state only), tasks, upgrade, keys, nodes",
            "journal.json", "the journal of the upgrade in progress (.uplift/journal.json)",
            "upgrade.log", "the upgrade log: every step and message of every upgrade, resume and rollback (its last "
                    + SupportBundleWriter.LOG_LIMIT / (1024 * 1024) + " MB at most)",
            "progress.json", "the last progress report of the running or interrupted step",
            "maintenance.txt", "maintenance mode: since when and why (.uplift/maintenance)",
            "plan.json", "'uplift plan --json' towards the target asked for",
            "checks.json", "'uplift check --json' towards the target asked for",
            "plan-error.txt", "why the plan or the checks towards the target could not be computed",
            "agent-status", "the cluster agent's last word about itself (.uplift/agent-status)");

    private BundleReadme() {}

    static byte[] text(String createdAt, Iterable<String> entries, boolean redacted) {
        StringBuilder b = new StringBuilder();
        b.append("Uplift support bundle, made ").append(createdAt).append("\n\nIn this bundle:\n");
        for (String name : entries) {
            b.append("  ").append(name).append("  ").append(meaning(name)).append('\n');
        }
        b.append("\nLeft out on purpose (never in a bundle):\n")
                .append("  config/             node-local files: the database password (database.properties), the encryption keyset,\n")
                .append("                      the app token files of remote components, the product's own settings\n")
                .append("  .uplift/state.json  the recorded state: it holds checksums of the files of config/\n")
                .append("  backups, database dumps, data/ and the program files: customer data and the vendor's code\n")
                .append("  .uplift/lock, staging and previous program files: nothing there explains a problem\n");
        if (redacted) {
            b.append("\nThe database password appeared in at least one report and was replaced by '")
                    .append(PasswordRedaction.REPLACEMENT).append("'.\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String meaning(String name) {
        if (name.startsWith("history/")) {
            return "the journal of an upgrade that ended (.uplift/history/)";
        }
        if (name.endsWith("-error.txt") && !MEANING.containsKey(name)) {
            return "why " + name.substring(0, name.length() - "-error.txt".length()) + " could not be computed";
        }
        return MEANING.getOrDefault(name, "");
    }
}
