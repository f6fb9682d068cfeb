package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The phases run in order; one recorded as done is skipped; the first failure stops the move. */
class MovePhaseTest {
    private final List<String> ran = new ArrayList<>();

    private MovePhase phase(String name, boolean done) {
        return new MovePhase() {
            @Override
            public boolean done(MoveRun move) {
                return done;
            }

            @Override
            public void run(MoveRun move) throws IOException {
                ran.add(name);
                if (name.startsWith("fail")) {
                    throw new IOException(name);
                }
            }
        };
    }

    @Test
    void phasesNotDoneRunInOrder() throws Exception {
        MovePhase.runAll(List.of(phase("pre-data", true), phase("rows", false), phase("post-data", true), phase("analyze", false)), null);
        assertThat(ran).containsExactly("rows", "analyze");
    }

    @Test
    void theFirstFailureStopsThePhasesAfterIt() {
        assertThatThrownBy(() -> MovePhase.runAll(List.of(phase("rows", false), phase("fail-here", false), phase("analyze", false)), null))
                .isInstanceOf(IOException.class).hasMessage("fail-here");
        assertThat(ran).containsExactly("rows", "fail-here");
    }
}
