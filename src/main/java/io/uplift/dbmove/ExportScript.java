package io.uplift.dbmove;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An export's pre-data.sql or post-data.sql cut into statements, to be run one by one through JDBC
 * and never through psql: psql would also run the backslash commands a file can hold ({@code \!}
 * runs a shell command, {@code \o |cmd} a program, {@code \copy ... PROGRAM} another), and an export
 * is a folder anyone may have handed over. Statements end at a semicolon outside literals, comments,
 * parentheses and the BEGIN ... END of a CREATE FUNCTION/PROCEDURE body, as psql cuts them.
 *
 * <p>A backslash that is SQL syntax (not inside a literal or comment) is refused wherever it stands,
 * at the start of a line or after a statement; the only exception is pg_dump's own {@code \restrict
 * KEY} and {@code &#92;unrestrict KEY} lines (pg_dump 13.22, 14.19, 15.14, 16.10, 17.6 and later), which
 * only switch psql's own guard on and off and mean nothing here. {@code SET client_encoding} is left
 * out (the JDBC session is UTF-8; the caller decodes the file in the encoding it names), and a COPY
 * FROM stdin (rows inside the script: pg_dump's schema sections never have them) is refused.
 */
final class ExportScript {
    /** One statement and the line it starts on, for messages. */
    record Statement(int line, String sql) {}

    /** The file is not plain SQL as pg_dump writes it. */
    static final class Refused extends IllegalArgumentException {
        final int line;

        Refused(int line, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
        }
    }

    private static final Pattern RESTRICT = Pattern.compile("\\\\(un)?restrict [A-Za-z0-9]+[ \\t\\r]*(\\n|$)");
    private static final Pattern STANDARD_STRINGS = Pattern.compile(
            "(?is)set\\s+(session\\s+)?standard_conforming_strings\\s*(=|to)\\s*'?(on|off|true|false)'?");
    private static final Pattern CLIENT_ENCODING = Pattern.compile("(?is)set\\s+(session\\s+)?client_encoding\\s*(=|to)\\s*.*");
    private static final Pattern COPY_FROM_STDIN = Pattern.compile("(?is)copy\\s.*\\sfrom\\s+stdin\\b.*");

    private ExportScript() {}

    static List<Statement> split(String text) {
        List<Statement> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(text);
        StringBuilder current = new StringBuilder();
        int statementStart = -1;
        int parens = 0;
        Body body = new Body();
        int copied = 0; // text before this offset is in current (or skipped)
        try {
            while (lexer.next()) {
                if (lexer.kind() != SqlLexer.Kind.CODE) {
                    if (lexer.kind() == SqlLexer.Kind.LITERAL && statementStart < 0) {
                        statementStart = lexer.start();
                    }
                    continue;
                }
                char c = lexer.first();
                int at = lexer.start();
                if (c == '\\') {
                    Matcher m = RESTRICT.matcher(text).region(at, text.length());
                    boolean lineStart = at == 0 || text.charAt(at - 1) == '\n';
                    if (lineStart && statementStart < 0 && m.lookingAt()) {
                        copied = m.end(); // pg_dump's restrict / unrestrict line: skipped
                        skipTo(lexer, m.end());
                        continue;
                    }
                    throw new Refused(lexer.line(at), "a backslash outside any literal: a psql command ("
                            + text.substring(at, Math.min(text.length(), Math.max(text.indexOf('\n', at), at + 1))).strip()
                            + "). An export's SQL is never run through psql, and pg_dump does not write such a line there");
                }
                if (statementStart < 0 && !Character.isWhitespace(c)) {
                    statementStart = at;
                }
                if (Character.isLetter(c) || c == '_') {
                    int end = at;
                    while (end < text.length() && SqlLexer.identifierChar(text.charAt(end))) {
                        end++;
                    }
                    if (at == 0 || !SqlLexer.identifierChar(text.charAt(at - 1))) {
                        body.word(text.substring(at, end), parens);
                    }
                } else if (c == '(') {
                    parens++;
                } else if (c == ')') {
                    parens = Math.max(0, parens - 1);
                } else if (c == ';' && parens == 0 && body.depth == 0) {
                    current.append(text, copied, at);
                    copied = at + 1;
                    if (statementStart >= 0) {
                        String sql = current.toString().strip();
                        Statement s = new Statement(lexer.line(statementStart), sql);
                        if (STANDARD_STRINGS.matcher(sql).matches()) {
                            String v = sql.replaceAll("(?s).*?(on|off|true|false)'?$", "$1").toLowerCase(Locale.ROOT);
                            lexer.standardStrings(v.equals("on") || v.equals("true"));
                        }
                        if (COPY_FROM_STDIN.matcher(sql).matches()) {
                            throw new Refused(s.line(), "COPY ... FROM stdin: rows inside a schema file, which pg_dump's pre-data and"
                                    + " post-data sections never hold");
                        }
                        if (!CLIENT_ENCODING.matcher(sql).matches()) {
                            out.add(s);
                        }
                    }
                    current.setLength(0);
                    statementStart = -1;
                    parens = 0;
                    body = new Body();
                }
            }
        } catch (SqlLexer.Unterminated e) {
            throw new Refused(e.line, e.getMessage());
        }
        current.append(text, Math.min(copied, text.length()), text.length());
        if (statementStart >= 0) {
            // psql runs a last statement without its semicolon too
            out.add(new Statement(lexer.line(statementStart), current.toString().strip()));
        }
        return out;
    }

    private static void skipTo(SqlLexer lexer, int offset) {
        while (lexer.end() < offset && lexer.next()) {
            // the \restrict line's characters
        }
    }

    /**
     * psql's rule for SQL-standard function bodies (CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN
     * ATOMIC ... END): inside such a statement, outside parentheses, BEGIN and (within one) CASE open
     * a block that END closes, and a semicolon inside a block does not end the statement.
     */
    private static final class Body {
        private final StringBuilder firstWords = new StringBuilder();
        private int words;
        int depth;

        void word(String word, int parens) {
            String w = word.toLowerCase(Locale.ROOT);
            if (words < 4) {
                // as psql: only these words count, any other leaves its place empty
                boolean known = w.equals("create") || w.equals("function") || w.equals("procedure") || w.equals("or") || w.equals("replace");
                firstWords.append(known ? w.charAt(0) : '-');
            }
            words++;
            String f = firstWords.toString();
            boolean routine = f.startsWith("cf") || f.startsWith("cp") || f.startsWith("corf") || f.startsWith("corp");
            if (!routine || parens > 0) {
                return;
            }
            if (w.equals("begin")) {
                depth++;
            } else if (w.equals("case") && depth >= 1) {
                depth++;
            } else if (w.equals("end") && depth > 0) {
                depth--;
            }
        }
    }
}
