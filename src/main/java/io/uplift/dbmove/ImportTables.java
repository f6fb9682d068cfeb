package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Before any row is loaded: every table the manifest's data files name is a table in the target
 * (the one pre-data.sql made) and has every column the file's COPY lists. Names are looked up as
 * values, so a manifest naming {@code x; DROP TABLE y} finds no such table and the import stops
 * with that, instead of the name reaching a statement.
 */
final class ImportTables {
    private ImportTables() {}

    static void check(Connection target, ExportManifest m) throws SQLException {
        Map<List<String>, Integer> firstUse = new LinkedHashMap<>();
        for (int i = 0; i < m.data().size(); i++) {
            ExportManifest.DataFile f = m.data().get(i);
            firstUse.putIfAbsent(List.of(f.schema(), f.table()), i);
        }
        List<String> problems = new ArrayList<>();
        Map<List<String>, Set<String>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT array(SELECT a.attname::text FROM pg_catalog.pg_attribute a "
                + "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            for (Map.Entry<List<String>, Integer> e : firstUse.entrySet()) {
                ps.setString(1, e.getKey().get(0));
                ps.setString(2, e.getKey().get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        problems.add("data[" + e.getValue() + "] names the table " + TableInfo.qualified(e.getKey().get(0), e.getKey().get(1))
                                + ", which pre-data.sql did not create");
                        continue;
                    }
                    Array names = rs.getArray(1);
                    columns.put(e.getKey(), new HashSet<>(Arrays.asList((String[]) names.getArray())));
                }
            }
        }
        for (int i = 0; i < m.data().size(); i++) {
            ExportManifest.DataFile f = m.data().get(i);
            Set<String> has = columns.get(List.of(f.schema(), f.table()));
            if (has == null) {
                continue;
            }
            for (String c : f.columnNames()) {
                if (!has.contains(c)) {
                    problems.add("data[" + i + "] lists the column " + TableInfo.quote(c) + ", which the table " + f.qualified()
                            + " does not have");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, ExportManifest.FILE + " does not match the schema of its own pre-data.sql: "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size()))) + (problems.size() > 10 ? "; ..." : "")
                    + ". Nothing was imported (the schema was rolled back). Use the export as the move wrote it.");
        }
    }
}
