package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstalledVersionRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a DR refresh reads back from the DR site's database once the primary's data is in it. */
final class DrDatabase {
    private DrDatabase() {}

    /** Rows (counted, not estimated: the operator compares them with the primary's) and bytes of the restored database. */
    record Figures(long rows, long bytes) {}

    static Figures figures(DatabaseSettings db) {
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = conn.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
                    + " AND c.relowner = current_user::regrole::oid")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            long rows = 0;
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                return new Figures(rows, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The primary's data was restored into " + db.url()
                    + ", but counting its rows failed: " + e.getMessage() + ". Check the DR database by hand.", e);
        }
    }

    /** The DR site's database and state.json must both name the primary's release once the refresh is done. */
    static void requireVersion(Installation dr, Version version) {
        DatabaseSettings db = dr.databaseSettings();
        Optional<String> recorded;
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            recorded = InstalledVersionRecord.read(conn, dr.state().product());
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the installed version from the DR database "
                    + db.url() + ": " + e.getMessage(), e);
        }
        if (!Version.parse(dr.state().version()).equals(version) || recorded.isPresent() && !Version.parse(recorded.get()).equals(version)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "After the refresh the DR site " + dr.home() + " should run " + version
                    + ", but its state.json says " + dr.state().version() + " and its database " + recorded.orElse("nothing")
                    + ". Run 'uplift status --home " + dr.home() + "' and 'uplift dr refresh' again.");
        }
    }
}
