package io.uplift.upgrade;

import io.uplift.catalog.Release;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.install.NodeLocalFiles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the new version in .uplift/state.json and in the product database (table
 * uplift_installation), with fresh hashes of the node-local files.
 */
final class RecordVersionStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) throws SQLException {
        record(c, c.hop().to().toString());
        writeDatabase(c.database(), c.catalog().product().id(), c.hop().to().toString());
    }

    @Override
    public void undo(StepContext c) throws SQLException {
        record(c, c.hop().from().toString());
        if (!c.journal().get().databaseRestored()) {
            writeDatabase(c.database(), c.catalog().product().id(), c.hop().from().toString());
        }
    }

    static void record(StepContext c, String version) {
        Installation inst = c.installation();
        InstallationState s = inst.state();
        List<String> nodeLocal = new ArrayList<>(c.catalog().product().nodeLocalFiles());
        for (Release r : c.catalog().releases().headMap(c.hop().to(), true).values()) {
            r.nodeLocalFiles().stream().filter(f -> !nodeLocal.contains(f)).forEach(nodeLocal::add);
        }
        Installation.record(c.home(), new InstallationState(s.product(), version, s.catalog(), s.serviceAccount(),
                NodeLocalFiles.fingerprint(c.home(), nodeLocal), s.managedDatabase(), s.pendingTasks()));
    }

    private static void writeDatabase(DatabaseSettings db, String product, String version) throws SQLException {
        try (Connection conn = UpgradeDatabase.connect(db)) {
            InstalledVersionRecord.write(conn, product, version);
        }
    }
}
