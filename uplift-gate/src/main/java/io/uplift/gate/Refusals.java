package io.uplift.gate;

import io.uplift.gate.GateRefusal.Reason;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The gate's refusals, each saying what was observed on each side and the command or action that
 * lets the node start. Every message ends with "Nothing was changed." because a refusal changes nothing.
 */
final class Refusals {
    private static final String UNCHANGED = " Nothing was changed.";

    private Refusals() {}

    static GateRefusal unreachable(GateSettings s, SQLException e) {
        return new GateRefusal(Reason.DATABASE_UNREACHABLE, "The node gate of " + displayName(s.product()) + " cannot reach the product"
                + " database: " + describe(e) + ". Check this node's database settings (in " + s.home().resolve("config")
                + ") and that the database server is running, then start the node again." + UNCHANGED, e);
    }

    static GateRefusal unreadable(GateSettings s, SQLException e) {
        return new GateRefusal(Reason.DATABASE_UNREACHABLE, "The node gate of " + displayName(s.product()) + " reached the product"
                + " database but could not read or write Uplift's tables (uplift_installation, uplift_keyset, uplift_nodes): "
                + describe(e) + ". Check that this node's database user may read them and create and write public.uplift_nodes,"
                + " then start the node again.", e);
    }

    static GateRefusal upgradeInProgress(GateSettings s) {
        Path home = s.home();
        return new GateRefusal(Reason.UPGRADE_IN_PROGRESS, "This node is mid-upgrade: " + home.resolve(".uplift").resolve("journal.json")
                + " records an upgrade of " + displayName(s.product()) + " that is running or was interrupted, so the program"
                + " files, database and keys may not belong together yet. Run 'uplift status --home " + home + "' to see which;"
                + " 'uplift resume --home " + home + "' finishes it, 'uplift rollback --home " + home + "' undoes it. The node"
                + " starts once the upgrade has ended." + UNCHANGED);
    }

    /** @param program the version of the running program files; {@code database} the version the schema belongs to */
    static GateRefusal versionMismatch(GateSettings s, String database) {
        String program = s.programVersion();
        String home = s.home().toString();
        String observed = "This node runs " + displayName(s.product()) + " " + program + " but the database belongs to "
                + database + ": the versions do not match.";
        OptionalInt order = Versions.compare(database, program);
        String remedy;
        if (order.isPresent() && order.getAsInt() > 0) {
            remedy = " The database was upgraded (from another node) and this node's program files were not. Bring this node"
                    + " up to date: uplift upgrade --to " + database + " --home " + home + ".";
        } else if (order.isPresent()) {
            remedy = " The program files here are newer than the database: the database must be upgraded first. If an upgrade"
                    + " to " + program + " was started on another node, finish it there ('uplift resume --home HOME' on the node"
                    + " that holds the journal, HOME/.uplift/journal.json); otherwise put back the " + database + " program"
                    + " files, or restore this node together with the database from one backup ('uplift backup --list --home "
                    + home + "').";
        } else {
            remedy = " Run 'uplift status --home " + home + "' to see the installed version, then bring the program files and"
                    + " the database to the same version (uplift upgrade --to VERSION --home " + home + ").";
        }
        return new GateRefusal(Reason.VERSION_MISMATCH, observed + remedy + UNCHANGED);
    }

    static GateRefusal keysetMismatch(GateSettings s, LocalKeyset local, DatabaseFacts.RecordedKeyset recorded) {
        String observed = "This node's encryption keyset does not match the database's: ";
        observed += switch (local.state()) {
            case MISSING -> "this node's keyset file " + local.file() + " does not exist";
            case UNREADABLE -> "this node's keyset file " + local.file() + " cannot be read (" + local.problem() + ")";
            default -> local.file() + " has fingerprint " + short12(local.fingerprint());
        };
        observed += ", but the database recorded keyset " + short12(recorded.fingerprint()) + " from node " + recorded.node()
                + ", home " + recorded.home() + (recorded.recordedAt() == null ? "" : ", at " + recorded.recordedAt())
                + ". This node could not decrypt the database's secrets.";
        String remedy;
        if (recorded.node().equals(NodeHost.name()) && recorded.home().equals(s.home().toString())) {
            remedy = " This very node and home recorded it, so the keyset file was replaced since: put back the"
                    + " config/keyset.json that goes with this database (this node's backup taken with it, 'uplift backup"
                    + " --list --home " + s.home() + "', holds it), with its master key.";
        } else {
            remedy = " Copy config/keyset.json from node " + recorded.node() + " (" + Path.of(recorded.home(), "config", "keyset.json")
                    + ") to " + (local.file() == null ? "this node" : local.file()) + " together with its master key (see"
                    + " 'uplift keys protect' in Uplift's docs/keys.md for where the master key lives), or restore this node's"
                    + " config/ and the database together from one backup.";
        }
        return new GateRefusal(Reason.KEYSET_MISMATCH, observed + remedy + UNCHANGED);
    }

    static GateRefusal nodeIdInvalid(Path file, String problem) {
        return new GateRefusal(Reason.SETTINGS_INVALID, "The node id file " + file + " " + problem + ". Remove it: the gate makes"
                + " a new id at the next start." + UNCHANGED);
    }

    static GateRefusal nodeIdUnwritable(Path file, String problem) {
        return new GateRefusal(Reason.SETTINGS_INVALID, "The node gate cannot create the node id file " + file + ": " + problem
                + ". Give the product's service account write access to " + file.getParent() + ", then start the node again."
                + UNCHANGED);
    }

    /** "lockbox" as the operator reads it: "Lockbox". */
    static String displayName(String product) {
        return product.isEmpty() ? product : product.substring(0, 1).toUpperCase(Locale.ROOT) + product.substring(1);
    }

    /** The first 12 hex digits, as Uplift shows fingerprints. */
    static String short12(String fingerprint) {
        return fingerprint == null ? "(none)" : fingerprint.length() <= 12 ? fingerprint : fingerprint.substring(0, 12);
    }

    private static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        return (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + state;
    }
}
