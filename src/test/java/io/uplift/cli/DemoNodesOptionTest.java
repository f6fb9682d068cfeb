package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'uplift demo --nodes N': refused before anything is made when N is out of range or the demo is not --prepare-only. */
class DemoNodesOptionTest {
    @TempDir
    Path dir;

    @Test
    void nodesWithoutPrepareOnlyIsAUsageErrorAndMakesNothing() throws Exception {
        Run run = Run.of("demo", "--nodes", "3", "--home", dir.resolve("x").toString(), "--events", "10");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--nodes goes with --prepare-only");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aNodeCountOutOfRangeIsAUsageErrorNamingTheRange() throws Exception {
        for (String n : new String[] {"0", "10"}) {
            Run run = Run.of("demo", "--prepare-only", "--nodes", n, "--home", dir.resolve("x").toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("--nodes must be 1 to 9, got " + n);
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void theNodesOfNodeOneGoBesideItsHome() {
        assertThat(DemoCommand.nodeHome(Path.of("/srv/demo/lockbox"), 2)).isEqualTo(Path.of("/srv/demo/lockbox-node2"));
    }
}
