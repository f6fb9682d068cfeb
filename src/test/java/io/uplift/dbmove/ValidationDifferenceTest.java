package io.uplift.dbmove;

import io.uplift.api.RowFigures;
import io.uplift.api.ValidationDifference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Validation's differences are values until printed; the printed lines and their order are those of before. */
class ValidationDifferenceTest {
    private static final TableInfo TEXT = new TableInfo("public", "events", List.of("\"id\""), 1, false, "\"id\"");
    private static final TableInfo BINARY = new TableInfo("app", "blobs", List.of("\"id\""), 1, true, "\"id\"");

    @Test
    void rowsAndSchemaDifferencesPrintAsTheirLines() {
        assertThat(new ValidationDifference.Rows("public.events#1/2", new RowFigures(10, "-55"), new RowFigures(9, "17")).text())
                .isEqualTo("public.events#1/2: source 10 rows (checksum -55), target 9 rows (checksum 17)");
        assertThat(new ValidationDifference.Schema(true, "index public.x").text()).isEqualTo("schema - index public.x");
        assertThat(new ValidationDifference.Schema(false, "table public.y").text()).isEqualTo("schema + table public.y");
    }

    @Test
    void differencesSortAsTheirPrintedLines() {
        List<ValidationDifference> all = new ArrayList<>(List.of(
                new ValidationDifference.Schema(false, "a"),
                new ValidationDifference.Rows("x: y", new RowFigures(1, "1"), new RowFigures(2, "2")),
                new ValidationDifference.Rows("x", new RowFigures(1, "1"), new RowFigures(2, "2")),
                new ValidationDifference.Rows("public.a#1/1", new RowFigures(1, "1"), new RowFigures(2, "2"))));
        List<String> lines = new ArrayList<>(ValidationDifference.texts(all));
        Collections.sort(all);
        Collections.sort(lines);
        assertThat(ValidationDifference.texts(all)).isEqualTo(lines);
    }

    @Test
    void schemaDifferencesListTheSourceOnlyObjectsFirst() {
        assertThat(ValidationDifference.texts(ValidationDifference.Schema.between(new TreeSet<>(List.of("a", "b", "c")),
                new TreeSet<>(List.of("b", "d", "a0")))))
                .containsExactly("schema - a", "schema - c", "schema + a0", "schema + d");
    }

    @Test
    void figuresReadBackFromTheirRecordedForm() {
        assertThat(RowFigures.parse(new RowFigures(42, "-9001").text())).isEqualTo(new RowFigures(42, "-9001"));
    }

    @Test
    void recordedFiguresDecideHowEachChunkIsCompared() {
        Chunk same = new Chunk(TEXT, 1, 3, "\"id\" < 10");
        Chunk differs = new Chunk(TEXT, 2, 3, "\"id\" >= 10 AND \"id\" < 20");
        Chunk notChecked = new Chunk(TEXT, 3, 3, "\"id\" >= 20");
        Chunk wholeA = new Chunk(BINARY, 1, 2, "\"id\" < 5");
        Chunk wholeB = new Chunk(BINARY, 2, 2, "\"id\" >= 5");
        Map<String, ChunkCopier.Figures> recorded = Map.of(
                same.id(), new ChunkCopier.Figures("3:7", "3:7"),
                differs.id(), new ChunkCopier.Figures("4:8", "3:1"),
                notChecked.id(), new ChunkCopier.Figures("5:5", null));
        MoveValidation.Sorted sorted = MoveValidation.sort(List.of(same, differs, notChecked, wholeA, wholeB), recorded);
        assertThat(ValidationDifference.texts(sorted.recordedDifferences()))
                .containsExactly("public.events#2/3: source 4 rows (checksum 8), target 3 rows (checksum 1)");
        assertThat(sorted.unchecked()).containsExactly(notChecked);
        assertThat(sorted.wholeTables()).containsOnlyKeys(BINARY);
        assertThat(sorted.wholeTables().get(BINARY)).containsExactly(wholeA, wholeB);
    }
}
