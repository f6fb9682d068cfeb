package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.UpgradeResult;
import io.uplift.upgrade.UpgradeListener;
import picocli.CommandLine.Command;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undoes an upgrade in progress (paused, failed or killed): every step that ran is undone in reverse;",
                "schema migrations are undone by restoring the database from the upgrade's verified backup (a database move",
                "by returning to the old server). The installation ends exactly as before the upgrade. Exit 21 when nothing",
                "is in progress."})
final class RollbackCommand extends JournalCommand {
    @Override
    String verb() {
        return "rollback";
    }

    @Override
    UpgradeResult act(Uplift uplift, UpgradeListener listener) {
        return uplift.rollback(listener);
    }
}
