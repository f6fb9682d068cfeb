package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A resumed move's ranges come back from the target as numbers, never as SQL text. */
class ChunkRangeTest {
    private static final TableInfo EVENTS = new TableInfo("public", "events", List.of("\"id\""), 1, true, "\"id\"");

    @Test
    void theRangesAMoveWritesReadBackAsThemselves() {
        for (String r : List.of("", "\"id\" < 500001", "\"id\" >= -5 AND \"id\" < 7", "\"id\" >= 9223372036854775807",
                "ctid < '(4096,0)'::tid", "ctid >= '(4096,0)'::tid AND ctid < '(8192,0)'::tid")) {
            assertThat(ChunkRange.reparse(EVENTS, r)).isEqualTo(r);
        }
        assertThat(ChunkRange.render("\"id\"", 1L, 5L)).isEqualTo("\"id\" >= 1 AND \"id\" < 5");
    }

    @Test
    void issue13_item13_aRecordedRangeThatIsNotNumbersOverTheKeyIsRefused() {
        for (String r : List.of("true); CREATE TABLE pwn(); SELECT (1", "\"id\" >= 1 OR true", "\"id\" < 5; DROP TABLE events",
                "\"other\" < 5", "ctid < '(1,0)'::tid OR true", "\"id\" >= 1 AND \"id\" < 2 AND \"id\" < 3", "false")) {
            assertThatThrownBy(() -> ChunkRange.reparse(EVENTS, r)).as(r).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
