package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting an export's SQL into statements, and refusing every psql command in it. */
class ExportScriptTest {
    private static List<String> sql(String text) {
        return ExportScript.split(text).stream().map(ExportScript.Statement::sql).toList();
    }

    @Test
    void statementsEndAtSemicolonsOutsideLiteralsCommentsAndParentheses() {
        String text = """
                -- a comment; not a statement
                SET statement_timeout = 0;
                CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $_$ BEGIN RETURN 'a;b\\'; END $_$;
                COMMENT ON TABLE t IS 'it''s; \\ fine';
                COMMENT ON TABLE u IS E'line\\'s; \\\\ end';
                CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));
                /* block /* nested; */ still; */ CREATE TABLE "we;ird" (x int)
                """;
        assertThat(sql(text)).containsExactly(
                "-- a comment; not a statement\nSET statement_timeout = 0",
                "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $_$ BEGIN RETURN 'a;b\\'; END $_$",
                "COMMENT ON TABLE t IS 'it''s; \\ fine'",
                "COMMENT ON TABLE u IS E'line\\'s; \\\\ end'",
                "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
                "/* block /* nested; */ still; */ CREATE TABLE \"we;ird\" (x int)");
    }

    @Test
    void aSqlStandardFunctionBodyStaysOneStatement() {
        assertThat(sql("CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;"
                + "\nSELECT 3;")).containsExactly(
                "CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END",
                "SELECT 3");
        assertThat(sql("BEGIN; SELECT 1; END;")).containsExactly("BEGIN", "SELECT 1", "END");
    }

    @Test
    void pgDumpsRestrictLinesAndClientEncodingAreLeftOut() {
        assertThat(sql("\\restrict AbC123\nSET client_encoding = 'UTF8';\nSELECT 1;\n\\unrestrict AbC123\n")).containsExactly("SELECT 1");
    }

    @Test
    void issue13_item8_aPsqlCommandAnywhereOutsideALiteralIsRefused() {
        for (String text : List.of("\\! touch /tmp/pwned\n", "SELECT 1; \\! id\n", "SELECT 1 \\g |id\n", "  \\o |sh\n",
                "\\restrict k\n\\! id\n", "SELECT 1;\n\\restrict k; \\! id\n", "SELECT '\\' \\! x';\n\\copy t FROM PROGRAM 'id'\n")) {
            assertThatThrownBy(() -> ExportScript.split(text)).as(text).isInstanceOf(ExportScript.Refused.class)
                    .hasMessageContaining("psql command");
        }
        assertThatThrownBy(() -> ExportScript.split("SELECT 1;\n\n\\! id")).hasMessageStartingWith("line 3:");
    }

    @Test
    void withStandardStringsOffABackslashEscapesTheQuote() {
        // the backslash hides the quote: the \! is inside the literal, which ends at the last quote
        assertThat(sql("SET standard_conforming_strings = off;\nSELECT 'a\\'; \\! id';\n")).containsExactly(
                "SET standard_conforming_strings = off", "SELECT 'a\\'; \\! id'");
        // and on: the literal ends at the first quote, so the \! is a psql command
        assertThatThrownBy(() -> ExportScript.split("SET standard_conforming_strings = on;\nSELECT 'a\\'; \\! id';\n"))
                .isInstanceOf(ExportScript.Refused.class);
    }

    @Test
    void rowsInsideTheScriptAndUnclosedLiteralsAreRefused() {
        assertThatThrownBy(() -> ExportScript.split("COPY t (a) FROM stdin;\n1\n\\.\n")).hasMessageContaining("COPY");
        assertThatThrownBy(() -> ExportScript.split("SELECT $x$ never closed")).hasMessageContaining("never closed");
    }
}
