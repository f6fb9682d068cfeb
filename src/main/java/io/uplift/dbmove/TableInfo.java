package io.uplift.dbmove;

import java.util.List;

/**
 * One table whose rows the move copies (a plain table or a leaf partition).
 *
 * @param columns   quoted column names in the table's order
 * @param binary    whether COPY's binary format is safe: not for arrays or composites of
 *                  user-defined types, whose binary form carries type OIDs that differ between servers
 * @param intKey    the quoted single-column integer primary key, used to split a large table into ranges
 */
public record TableInfo(String schema, String name, List<String> columns, long bytes, boolean binary,
        String intKey) {

    public String qualified() {
        return quote(schema) + "." + quote(name);
    }

    public String label() {
        return schema.equals("public") ? name : schema + "." + name;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
