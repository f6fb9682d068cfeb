package io.uplift.dbmove;

/**
 * Walks SQL text the way PostgreSQL's lexer tells code from what it must not look into: string
 * literals ('...', E'...' with backslash escapes, and '...' with them too when
 * standard_conforming_strings is off), quoted identifiers, dollar-quoted bodies ($tag$...$tag$),
 * -- and (nested) block comments. Everything else comes one character at a time as CODE, so a
 * caller can find the semicolons, parentheses and backslashes that really are syntax.
 */
final class SqlLexer {
    enum Kind { CODE, LITERAL, COMMENT }

    /** The text ends inside a literal or a block comment. */
    static final class Unterminated extends IllegalArgumentException {
        final int line;

        Unterminated(String what, int line) {
            super(what + " that starts on line " + line + " is never closed");
            this.line = line;
        }
    }

    private final String text;
    private boolean standardStrings = true;
    private int pos;
    private int start;
    private Kind kind;

    SqlLexer(String text) {
        this.text = text;
    }

    /** What a following SET standard_conforming_strings changed: whether a backslash in '...' is a plain character. */
    void standardStrings(boolean on) {
        this.standardStrings = on;
    }

    /** Moves to the next token; false at the end of the text. */
    boolean next() {
        if (pos >= text.length()) {
            return false;
        }
        start = pos;
        char c = text.charAt(pos);
        char n = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        if (c == '-' && n == '-') {
            int eol = text.indexOf('\n', pos);
            pos = eol < 0 ? text.length() : eol;
            kind = Kind.COMMENT;
        } else if (c == '/' && n == '*') {
            blockComment();
            kind = Kind.COMMENT;
        } else if (c == '\'') {
            quoted('\'', !standardStrings || escapePrefix(), "a string literal");
            kind = Kind.LITERAL;
        } else if (c == '"') {
            quoted('"', false, "a quoted identifier");
            kind = Kind.LITERAL;
        } else if (c == '$' && (pos == 0 || !identifierChar(text.charAt(pos - 1))) && dollarTag() != null) {
            String tag = dollarTag();
            int end = text.indexOf(tag, pos + tag.length());
            if (end < 0) {
                throw new Unterminated("the dollar-quoted text " + tag, line(start));
            }
            pos = end + tag.length();
            kind = Kind.LITERAL;
        } else {
            pos++;
            kind = Kind.CODE;
        }
        return true;
    }

    Kind kind() {
        return kind;
    }

    int start() {
        return start;
    }

    int end() {
        return pos;
    }

    /** The token's first character (for CODE, the character itself). */
    char first() {
        return text.charAt(start);
    }

    int line(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    /** E'...': the E must start its token (in "some'x'" the e belongs to the identifier). */
    private boolean escapePrefix() {
        return start > 0 && (text.charAt(start - 1) == 'e' || text.charAt(start - 1) == 'E')
                && (start < 2 || !identifierChar(text.charAt(start - 2)));
    }

    private void quoted(char quote, boolean backslashEscapes, String what) {
        int i = pos + 1;
        while (true) {
            if (i >= text.length()) {
                throw new Unterminated(what, line(start));
            }
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2; // a doubled quote stands for one
                } else {
                    pos = i + 1;
                    return;
                }
            } else {
                i++;
            }
        }
    }

    private void blockComment() {
        int depth = 0;
        int i = pos;
        while (i < text.length()) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    pos = i;
                    return;
                }
            } else {
                i++;
            }
        }
        throw new Unterminated("a /* comment", line(start));
    }

    /** "$$" or "$tag$" at pos, or null when this $ is not a dollar quote (a parameter such as $1). */
    private String dollarTag() {
        int i = pos + 1;
        if (i < text.length() && text.charAt(i) == '$') {
            return "$$";
        }
        if (i >= text.length() || !(Character.isLetter(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) >= 0x80)) {
            return null;
        }
        while (i < text.length() && text.charAt(i) != '$') {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c >= 0x80)) {
                return null;
            }
            i++;
        }
        return i < text.length() ? text.substring(pos, i + 1) : null;
    }
}
