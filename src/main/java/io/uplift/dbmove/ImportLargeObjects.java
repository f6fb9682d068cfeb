package io.uplift.dbmove;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/** The large-objects step of an import: their COPY file into a temporary table, then lo_from_bytea / lo_put, all in one transaction. */
final class ImportLargeObjects {
    /** The large objects' file is always loaded into this temporary table, whatever its manifest entry says. */
    private static final String LO_COPY = "COPY pg_temp.uplift_lo_pieces (loid, off, data) FROM STDIN WITH (FORMAT binary)";

    /** The SQL that turns the pieces table into large objects (docs/database-move.md shows the same for psql). */
    static final String LO_FROM_PIECES = "SELECT lo_unlink(m.oid) FROM pg_largeobject_metadata m "
            + "WHERE m.oid IN (SELECT loid FROM pg_temp.uplift_lo_pieces);\n"
            + "SELECT lo_from_bytea(loid, '') FROM (SELECT DISTINCT loid FROM pg_temp.uplift_lo_pieces) s;\n"
            + "SELECT lo_put(loid, off, data) FROM pg_temp.uplift_lo_pieces ORDER BY loid, off;\n"
            + "DROP TABLE pg_temp.uplift_lo_pieces;";

    private ImportLargeObjects() {}

    /** All large objects in one transaction, with their done-mark; returns how many. */
    static long load(Connection conn, Path dir, ExportManifest.LargeObjects lo) throws SQLException, IOException {
        DatabaseImport.inTransaction(conn, () -> {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE uplift_lo_pieces (loid oid, off bigint, data bytea)");
                try (InputStream in = ImportRows.open(dir, lo.file())) {
                    conn.unwrap(PGConnection.class).getCopyAPI().copyIn(LO_COPY, in, ImportRows.COPY_BUFFER);
                }
                for (String sql : LO_FROM_PIECES.split(";\n")) {
                    st.execute(sql.replaceAll(";$", ""));
                }
                MoveProgress.markPhase(conn, "large-objects");
            }
        });
        return lo.count();
    }
}
