package io.uplift.dbmove;

import java.util.List;

/**
 * One table whose rows the move copies (a plain table or a leaf partition).
 *
 * @param columns   quoted column names in the table's order
 * @param binary    whether COPY's binary format is safe: not for arrays or composites of
 *                  user-defined types, whose binary form carries type OIDs that differ between servers
 * @param intKey    the quoted single-column integer primary key, used to split a large table into ranges
 * @param jsonb     the positions (from 0) of the columns of type jsonb, checked by their hash ({@link JsonbCheckForm})
 */
public record TableInfo(String schema, String name, List<String> columns, long bytes, boolean binary,
        String intKey, List<Integer> jsonb) {

    public TableInfo(String schema, String name, List<String> columns, long bytes, boolean binary, String intKey) {
        this(schema, name, columns, bytes, binary, intKey, List.of());
    }

    public String qualified() {
        return qualified(schema, name);
    }

    static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    public String label() {
        return schema.equals("public") ? name : schema + "." + name;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
