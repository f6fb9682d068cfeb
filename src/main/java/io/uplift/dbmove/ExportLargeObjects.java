package io.uplift.dbmove;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The export's large objects: every one, read in the move's snapshot in pieces of 8 MB, into one
 * binary COPY file of rows (loid, off, data), loadable into a table with COPY and then turned back
 * into objects with lo_from_bytea / lo_put (docs/database-move.md, "Loading an export by hand").
 */
final class ExportLargeObjects {
    private static final int PIECE = 8 * 1024 * 1024;
    private static final byte[] BINARY_COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    interface SinkFactory {
        ExportFileSink open() throws IOException;
    }

    interface FinishedFile {
        ExportProgress.Written take();
    }

    private ExportLargeObjects() {}

    /** The manifest's entry, or null when the source has no large objects (then no file is written). */
    static ExportManifest.LargeObjects write(Connection coordinator, SinkFactory sinks, FinishedFile finished) throws SQLException, IOException {
        List<Long> oids = new ArrayList<>();
        try (Statement st = coordinator.createStatement(); ResultSet rs = st.executeQuery("SELECT oid FROM pg_largeobject_metadata ORDER BY oid")) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
            }
        }
        if (oids.isEmpty()) {
            return null;
        }
        long rows = 0;
        ExportFileSink sink = sinks.open();
        try (sink; PreparedStatement get = coordinator.prepareStatement("SELECT lo_get(?::oid, ?, ?)")) {
            sink.write(BINARY_COPY_HEADER);
            ByteArrayOutputStream small = new ByteArrayOutputStream(32);
            DataOutputStream tuple = new DataOutputStream(small);
            for (long oid : oids) {
                for (long offset = 0; ; offset += PIECE) {
                    get.setLong(1, oid);
                    get.setLong(2, offset);
                    get.setInt(3, PIECE);
                    byte[] piece;
                    try (ResultSet p = get.executeQuery()) {
                        p.next();
                        piece = p.getBytes(1);
                    }
                    if (piece == null) {
                        piece = new byte[0];
                    }
                    if (piece.length == 0 && offset > 0) {
                        break;
                    }
                    small.reset();
                    tuple.writeShort(3);
                    tuple.writeInt(4);
                    tuple.writeInt((int) oid);
                    tuple.writeInt(8);
                    tuple.writeLong(offset);
                    tuple.writeInt(piece.length);
                    tuple.flush();
                    sink.write(small.toByteArray());
                    sink.write(piece, 0, piece.length);
                    rows++;
                    if (piece.length < PIECE) {
                        break;
                    }
                }
            }
            sink.write(new byte[] {(byte) 0xff, (byte) 0xff});
            sink.finish();
        }
        ExportProgress.Written w = finished.take();
        return new ExportManifest.LargeObjects(oids.size(), new ExportManifest.DataFile(0, w.file(), "pg_temp", "uplift_lo_pieces",
                "pg_temp.uplift_lo_pieces", List.of("loid", "off", "data"), 1, 1, "", "binary", w.compression(), w.zstdLevel(), rows,
                w.copyBytes(), w.bytes(), w.sha256()));
    }
}
