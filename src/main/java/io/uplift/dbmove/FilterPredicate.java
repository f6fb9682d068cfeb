package io.uplift.dbmove;

/**
 * The shape a --filter predicate must have before it goes anywhere near the source: one expression
 * that stays inside the parentheses the move puts around it ({@code WHERE (...)}, also inside the
 * COPY of every chunk). A predicate is operator-supplied SQL by design (subqueries are welcome), but
 * a semicolon outside a literal would start a second statement, and a closing parenthesis it did
 * not open, or an unclosed literal or comment, would swallow or rewrite the move's own SQL around it.
 * The read-only source session is the guard behind this one: even an expression cannot write there.
 */
final class FilterPredicate {
    private FilterPredicate() {}

    /** Null when the predicate has that shape, else what is wrong with it. */
    static String problem(String predicate) {
        SqlLexer lexer = new SqlLexer(predicate);
        int depth = 0;
        try {
            while (lexer.next()) {
                if (lexer.kind() == SqlLexer.Kind.COMMENT && lexer.end() == predicate.length() && predicate.startsWith("--", lexer.start())) {
                    return "it ends inside a -- comment, which would hide the SQL the move puts after it";
                }
                if (lexer.kind() != SqlLexer.Kind.CODE) {
                    continue;
                }
                char c = lexer.first();
                if (c == ';') {
                    return "it holds a ';' outside a string: a second statement, not a predicate";
                } else if (c == '\\') {
                    return "it holds a backslash outside a string";
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth < 0) {
                    return "it closes a parenthesis it did not open";
                }
            }
        } catch (SqlLexer.Unterminated e) {
            return e.getMessage();
        }
        return depth == 0 ? null : "it opens " + depth + " parenthesis(es) it does not close";
    }
}
