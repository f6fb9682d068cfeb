package io.uplift.dbmove;

import io.uplift.db.Sha256;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Sequence values as the move's snapshot sees them, for the manifest and sequences.sql. */
final class ExportSequences {
    /** The values and the entry of sequences.sql. */
    record Written(List<ExportManifest.SequenceValue> values, ExportManifest.FileEntry file) {}

    private ExportSequences() {}

    static List<ExportManifest.SequenceValue> read(Connection coordinator, List<String> names) throws SQLException {
        List<ExportManifest.SequenceValue> values = new ArrayList<>();
        for (String seq : names) {
            try (Statement st = coordinator.createStatement(); ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + seq)) {
                rs.next();
                values.add(new ExportManifest.SequenceValue(seq, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        return List.copyOf(values);
    }

    /** sequences.sql: one setval per sequence, to run with psql after the data. */
    static byte[] script(List<ExportManifest.SequenceValue> values) {
        StringBuilder b = new StringBuilder("-- Sequence values of the export (the same as in manifest.json); psql -f after the data.\n");
        values.forEach(v -> b.append(v.setval()).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Written write(Path dir, Connection coordinator, List<String> names) throws SQLException, IOException {
        List<ExportManifest.SequenceValue> values = read(coordinator, names);
        byte[] sql = script(values);
        DurableFiles.write(dir.resolve(ExportFileNames.SEQUENCES), sql); // 0600 from its first instant, like every file of the export
        return new Written(values, new ExportManifest.FileEntry(ExportFileNames.SEQUENCES, sql.length, Sha256.hex(sql)));
    }
}
