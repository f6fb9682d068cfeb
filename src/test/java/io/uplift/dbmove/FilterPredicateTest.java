package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A --filter predicate must be one expression that stays inside the move's parentheses. */
class FilterPredicateTest {
    @Test
    void ordinaryPredicatesPass() {
        assertThat(FilterPredicate.problem("occurred_at >= '2023-06-01'")).isNull();
        assertThat(FilterPredicate.problem(Filters.ONLY_THREAT_EVENTS.substring(Filters.ONLY_THREAT_EVENTS.indexOf('=') + 1))).isNull();
        assertThat(FilterPredicate.problem("note <> 'a;b)' AND \"we;ird)\" IS NULL AND x = $$;)$$ /* ) ; */")).isNull();
    }

    @Test
    void issue13_item13_aPredicateThatEscapesItsParenthesesOrAddsAStatementIsRefused() {
        assertThat(FilterPredicate.problem("true); CREATE TABLE pwn(); SELECT (1")).contains("did not open");
        assertThat(FilterPredicate.problem("true; CREATE TABLE pwn()")).contains("';'");
        assertThat(FilterPredicate.problem("true)) TO STDOUT (FORMAT binary); COPY (SELECT 1 WHERE (true")).isNotNull();
        assertThat(FilterPredicate.problem("true) OR (true")).contains("did not open");
        assertThat(FilterPredicate.problem("(true")).contains("does not close");
        assertThat(FilterPredicate.problem("true --")).contains("comment");
        assertThat(FilterPredicate.problem("note = 'open")).contains("never closed");
        assertThat(FilterPredicate.problem("note = E'\\' ; DROP TABLE x; --'")).isNull(); // all inside one E'' literal
        assertThat(FilterPredicate.problem("note = '\\' ; DROP TABLE x; --'")).isNotNull(); // standard string: the ; is code
    }
}
