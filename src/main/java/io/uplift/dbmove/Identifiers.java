package io.uplift.dbmove;

/** Quoted SQL identifiers as the export writes them ({@link TableInfo#quote}), read back into names. */
final class Identifiers {
    private Identifiers() {}

    /** The name inside {@code "..."} (a doubled quote stands for one); anything else is refused. */
    static String unquote(String quoted) {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new IllegalArgumentException("is not a name in double quotes");
        }
        String inner = quoted.substring(1, quoted.length() - 1);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '"') {
                if (i + 1 >= inner.length() || inner.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException("has a double quote inside that is not doubled");
                }
                i++;
            }
            name.append(c);
        }
        return name.toString();
    }
}
