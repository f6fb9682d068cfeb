package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Foreign keys added NOT VALID and then validated (PostgreSQL 10 source, 16 target): the target
 * ends with the source's keys, all validated; one left NOT VALID by a killed run is validated; a
 * key the source holds NOT VALID, or one of a name pg_restore's list cannot be read by, stays with
 * pg_restore; a row without its referenced row fails the move.
 */
class ForeignKeysIT {
    private static final String TABLES = "CREATE TABLE parent (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL, UNIQUE (a, b));"
            + "CREATE TABLE \"Child\" (id int PRIMARY KEY, parent_id int, a int, b int, up int);";
    private static final String KEYS = "ALTER TABLE \"Child\" ADD CONSTRAINT \"Child_parent\" FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE;"
            + "ALTER TABLE \"Child\" ADD CONSTRAINT child_pair FOREIGN KEY (a, b) REFERENCES parent (a, b) MATCH FULL DEFERRABLE INITIALLY DEFERRED;"
            + "ALTER TABLE \"Child\" ADD CONSTRAINT child_up FOREIGN KEY (up) REFERENCES \"Child\" (id);"
            + "ALTER TABLE \"Child\" ADD CONSTRAINT child_loose FOREIGN KEY (up) REFERENCES parent (id) NOT VALID;";
    private static final String DATA = "INSERT INTO parent SELECT g, g, -g FROM generate_series(1, 100) g;"
            + "INSERT INTO \"Child\" SELECT g, g % 100 + 1, g % 100 + 1, -(g % 100 + 1), CASE WHEN g > 1 THEN g - 1 END FROM generate_series(1, 90) g;";
    // As pg_restore -l lists them (the owner last); child_loose is NOT VALID on the source, "bad name" has a space.
    private static final String LIST = "10; 2606 1 FK CONSTRAINT public Child Child_parent lockbox\n"
            + "11; 2606 2 FK CONSTRAINT public Child child_pair lockbox\n"
            + "12; 2606 3 FK CONSTRAINT public Child child_up lockbox\n"
            + "13; 2606 4 FK CONSTRAINT public Child child_loose lockbox\n"
            + "14; 2620 5 TRIGGER public Child audit lockbox\n";

    @Test
    void theTargetEndsWithTheSourcesKeysValidatedAndAKeyLeftNotValidIsValidated() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(TABLES, DATA, KEYS);
        target.execute(TABLES, DATA);
        Map<String, ForeignKeys.Key> keys;
        try (Connection conn = source.connect()) {
            keys = ForeignKeys.read(conn);
        }
        assertThat(keys).containsOnlyKeys("public.Child.Child_parent", "public.Child.child_pair", "public.Child.child_up");
        ForeignKeys.Split split = ForeignKeys.split(LIST, keys);
        assertThat(split.keys()).extracting(ForeignKeys.Key::name).containsExactly("Child_parent", "child_pair", "child_up");
        assertThat(split.rest()).contains("child_loose").contains("TRIGGER").doesNotContain("Child_parent");

        // a killed run left one key added NOT VALID
        target.execute("ALTER TABLE \"Child\" ADD CONSTRAINT child_up FOREIGN KEY (up) REFERENCES \"Child\" (id) NOT VALID");
        ForeignKeys.build(target.pgUrl(), split.keys(), 2);

        TreeSet<String> expected = keyDefinitions(source);
        expected.removeIf(d -> d.startsWith("child_loose"));
        assertThat(keyDefinitions(target)).isEqualTo(expected).hasSize(3).noneMatch(d -> d.contains("NOT VALID"));
        ForeignKeys.build(target.pgUrl(), split.keys(), 2); // again: nothing to do, nothing fails
        assertThat(keyDefinitions(target)).isEqualTo(expected);
    }

    @Test
    void aRowWithoutItsReferencedRowFailsTheBuild() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(TABLES, DATA, KEYS);
        target.execute(TABLES, DATA, "DELETE FROM parent WHERE id = 7");
        Map<String, ForeignKeys.Key> keys;
        try (Connection conn = source.connect()) {
            keys = ForeignKeys.read(conn);
        }
        assertThatThrownBy(() -> ForeignKeys.build(target.pgUrl(), ForeignKeys.split(LIST, keys).keys(), 2))
                .isInstanceOf(SQLException.class).hasMessageContaining("violates foreign key constraint");
    }

    private static TreeSet<String> keyDefinitions(MoveTestDatabase db) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }
}
