package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The acceptance path of the foundation issue through the real command line: a Lockbox 1.0 demo on
 * a real PostgreSQL 10 server, then status, plan and check to 3.0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path home;

    @BeforeAll
    static void prepareDemo() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Run run = Run.of("demo", "--prepare-only", "--home", home.toString(), "--events", "3000", "--seed", "7");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Lockbox 1.0 is installed in " + home).contains("PostgreSQL 10");
    }

    @AfterAll
    static void stopDemoServer() {
        if (home != null) {
            Run.of("db", "stop", "--home", home.toString());
        }
    }

    @Test
    @Order(1)
    void planToThreeGoesThroughTheRequiredStopsWithTheDatabaseMoveInTheLastHop() throws Exception {
        Run run = Run.of("plan", "--to", "3.0", "--home", home.toString(), "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode plan = JSON.readTree(run.out());
        List<String> hops = new ArrayList<>();
        plan.get("hops").forEach(h -> hops.add(h.get("from").asText() + "->" + h.get("to").asText()));
        assertThat(hops).containsExactly("1.0->1.1", "1.1->2.1", "2.1->3.0");
        JsonNode last = plan.get("hops").get(2);
        assertThat(last.get("databaseMove").get("fromMajor").asInt()).isEqualTo(10);
        assertThat(last.get("databaseMove").get("toMajor").asInt()).isEqualTo(16);
        assertThat(plan.get("hops").get(0).get("databaseMove").isNull()).isTrue();
        List<String> kinds = new ArrayList<>();
        last.get("steps").forEach(s -> kinds.add(s.get("kind").asText()));
        // Maintenance spans the whole upgrade: entered in the first hop before the backup, left at the end of the last.
        assertThat(kinds).contains("MOVE_DATABASE", "ROTATE_KEYS").doesNotContain("MAINTENANCE_ON").last().isEqualTo("MAINTENANCE_OFF");
        assertThat(plan.get("hops").get(0).get("steps").get(0).get("kind").asText()).isEqualTo("CHECKS");
        assertThat(plan.get("hops").get(0).get("steps").get(1).get("kind").asText()).isEqualTo("MAINTENANCE_ON");
        assertThat(plan.get("hops").get(0).get("steps").get(2).get("kind").asText()).isEqualTo("BACKUP");
        assertThat(kinds.indexOf("MOVE_DATABASE")).isLessThan(kinds.indexOf("MIGRATE_SCHEMA"));
    }

    @Test
    @Order(2)
    void checkToThreeReportsThePostgresVersionAndExitsThreeBecauseTheMoveIsPlanned() throws Exception {
        Map<String, String> before = FolderSnapshot.of(home, "db");
        Run run = Run.of("check", "--to", "3.0", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).contains("[WARN] Database server version: PostgreSQL 10 found, 3.0 needs >=14: the plan moves the database to PostgreSQL 16")
                .contains("[PASS] Database reachable").contains("[PASS] Node-local files: 2 present and unchanged")
                .contains("0 failures");
        assertThat(FolderSnapshot.of(home, "db")).as("check changes nothing").isEqualTo(before);
    }

    @Test
    @Order(3)
    void statusShowsVersionSchemaServerAndNodeLocalFiles() throws Exception {
        Run run = Run.of("status", "--home", home.toString(), "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode s = JSON.readTree(run.out());
        assertThat(s.get("installedVersion").asText()).isEqualTo("1.0");
        assertThat(s.get("schemaVersion").asText()).startsWith("1.0.0.");
        assertThat(s.get("database").get("reachable").asBoolean()).isTrue();
        assertThat(s.get("database").get("serverVersion").asText()).startsWith("10.");
        assertThat(s.get("database").get("managed").asBoolean()).isTrue();
        assertThat(s.get("nodeLocalFiles").findValuesAsText("state")).containsOnly("unchanged").hasSize(2);
        assertThat(s.get("upgrade").get("state").asText()).isEqualTo("none");
    }

    @Test
    @Order(4)
    void aStoppedManagedServerIsStartedAgainByTheNextCommandThatNeedsIt() throws Exception {
        Run stop = Run.of("db", "stop", "--home", home.toString());
        assertThat(stop.exit()).as(stop.toString()).isZero();
        Run status = Run.of("status", "--home", home.toString(), "--json");
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.get("database").get("serverState").asText()).isEqualTo("started");
        assertThat(s.get("database").get("reachable").asBoolean()).isTrue();
        Run again = Run.of("db", "start", "--home", home.toString());
        assertThat(again.out()).contains("already running");
    }

    @Test
    @Order(5)
    void planToTheInstalledVersionHasNothingToDo() {
        Run run = Run.of("plan", "--to", "1.0", "--home", home.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("nothing to do");
    }
}
