package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undoes an upgrade in progress (paused, failed or killed): every step that ran is undone in reverse;",
                "schema migrations are undone by restoring the database from the upgrade's verified backup (a database move",
                "by returning to the old server). The installation ends exactly as before the upgrade. Exit 21 when nothing",
                "is in progress.",
                "Before restoring the database, rollback checks that this node's config/keyset.json is the keyset the backed-up",
                "database recorded; if not, it stops (nothing restored) and says which keyset goes with the backup."})
final class RollbackCommand extends JournalCommand {
    @Option(names = "--accept-keyset-mismatch",
            description = "Restore the backup's database even though this node's keyset is not the one it recorded (only when you"
                    + " know the keyset in place can decrypt it).")
    boolean acceptKeysetMismatch;

    @Option(names = "--discard-writes-after-maintenance",
            description = "Roll back even though the upgrade already left maintenance mode: what the product wrote since is"
                    + " lost with the restore. Without it such a rollback is refused (exit 18) and 'uplift resume' finishes the upgrade.")
    boolean discardWritesAfterMaintenance;

    @Override
    Uplift.Builder configure(Uplift.Builder builder) {
        return builder.acceptKeysetMismatch(acceptKeysetMismatch);
    }

    @Override
    String verb() {
        return "rollback";
    }

    @Override
    UpgradeResult act(Uplift uplift, UpgradeListener listener) {
        return uplift.rollback(listener, discardWritesAfterMaintenance);
    }
}
