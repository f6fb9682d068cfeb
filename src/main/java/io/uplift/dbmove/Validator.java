package io.uplift.dbmove;

import io.uplift.api.RowFigures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Row counts and checksums of every chunk, computed inside both servers (only two numbers cross
 * the network per chunk), and the schema comparison. A row's checksum is hashtext() of its text
 * form (the server's own 32-bit hash, the same function in PostgreSQL 10 and 16 and several times
 * cheaper than md5), summed over the chunk next to the row count; floats are printed with 15 digits (extra_float_digits = 0),
 * the one form both servers print alike.
 */
final class Validator {
    private Validator() {}

    static RowFigures figures(Connection conn, Chunk chunk, String filter) throws SQLException {
        try (Statement st = conn.createStatement()) {
            // PostgreSQL 10 and 16 print a float alike only with 15 digits (12+ print the shortest exact form when
            // extra_float_digits > 0), also inside domains, composites and arrays; numeric cannot hold Infinity on 10.
            st.execute("SET extra_float_digits = 0");
        }
        RowFigures figures = query(conn, chunk, filter);
        try (Statement st = conn.createStatement()) {
            st.execute("SET extra_float_digits = " + MoveConnections.EXTRA_FLOAT_DIGITS); // a copy on this connection needs every digit
        }
        return figures;
    }

    private static RowFigures query(Connection conn, Chunk chunk, String filter) throws SQLException {
        TableInfo t = chunk.table();
        List<String> cols = t.columns();
        String row = t.columns().isEmpty() ? "''" : "ROW(" + String.join(", ", cols) + ")::text";
        String where = ChunkCopier.where(chunk.range(), filter);
        String sql = "SELECT count(*), coalesce(sum(hashtext(" + row + ")::bigint), 0)::text FROM "
                + "ONLY " + t.qualified() + " " + (where.isEmpty() ? "" : "WHERE " + where);
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new RowFigures(rs.getLong(1), rs.getString(2));
        }
    }
}
