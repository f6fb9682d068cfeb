package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The checks on a move's target before anything is written, and its records' start. */
final class MoveTarget {
    private MoveTarget() {}

    /** A fresh move needs an empty target; a resumed one needs the target of a move from this same source. */
    static void prepare(MoveSettings settings, Connection source, Connection target) throws SQLException {
        String sourceId;
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT system_identifier::text || '/' || current_database() FROM pg_control_system()")) {
            rs.next();
            sourceId = rs.getString(1);
        }
        boolean started = MoveProgress.exists(target);
        if (!settings.resume()) {
            long objects = userObjects(target);
            if (objects > 0 || started) {
                throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + settings.target() + " is not empty (" + objects
                        + " tables, views or sequences" + (started ? ", and an earlier move's records" : "") + "). A move writes only into an"
                        + " empty database: create a new one, or pass --resume to finish an earlier move into this one.");
            }
        } else if (started && !sourceId.equals(MoveProgress.source(target))) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + settings.target() + " holds an earlier move from another"
                    + " source database (" + MoveProgress.source(target) + "), not from " + settings.source() + "; --resume cannot mix them.");
        }
        target.setAutoCommit(true);
        MoveProgress.create(target, sourceId);
    }

    /** Resuming a move whose records are gone (it finished, then was killed or run again) only validates. */
    static boolean holdsFinishedMove(MoveSettings settings, Connection target) throws SQLException {
        return settings.resume() && !MoveProgress.exists(target) && userObjects(target) > 0;
    }

    private static long userObjects(Connection target) throws SQLException {
        try (Statement st = target.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + Inventory.SYSTEM_SCHEMAS)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
