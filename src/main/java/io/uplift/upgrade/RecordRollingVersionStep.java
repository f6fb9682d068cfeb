package io.uplift.upgrade;

import io.uplift.install.AdmittedVersions;
import io.uplift.install.InstalledVersionRecord;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A rolling upgrade's RECORD_VERSION on the primary: the database now belongs to the new release,
 * and the previous one stays admitted (uplift_admitted_versions) so that the nodes still running it
 * pass their gate's heartbeat, and one that restarts comes back, until finalize withdraws it. Both
 * rows change in one transaction: no gate ever reads the new version without the old one admitted.
 */
final class RecordRollingVersionStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) throws SQLException {
        RecordVersionStep.record(c, c.hop().to().toString());
        String product = c.catalog().product().id();
        try (Connection conn = UpgradeDatabase.connect(c.database())) {
            conn.setAutoCommit(false);
            AdmittedVersions.admit(conn, product, c.hop().from().toString(), "rolling upgrade to " + c.hop().to() + ": mixed until finalize");
            InstalledVersionRecord.write(conn, product, c.hop().to().toString());
            conn.commit();
        }
    }

    @Override
    public void undo(StepContext c) throws SQLException {
        RecordVersionStep.record(c, c.hop().from().toString());
        String product = c.catalog().product().id();
        try (Connection conn = UpgradeDatabase.connect(c.database())) {
            conn.setAutoCommit(false);
            InstalledVersionRecord.write(conn, product, c.hop().from().toString());
            AdmittedVersions.withdrawAll(conn, product);
            conn.commit();
        }
    }
}
