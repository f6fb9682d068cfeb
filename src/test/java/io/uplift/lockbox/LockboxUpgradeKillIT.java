package io.uplift.lockbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's fault test: Lockbox serving under the load generator, the upgrade to 3.0 killed with
 * SIGKILL at a step chosen at random, Lockbox killed with SIGKILL too; the node gate then refuses
 * to start Lockbox by hand (the home holds a journal), resume or rollback (chosen at random) brings
 * the installation to a version Lockbox starts at, and the load generator reads back every
 * secret Lockbox acknowledged. UPLIFT_KILL_SEED repeats a run.
 */
class LockboxUpgradeKillIT {
    /** Kill points late enough to have changed things: migrations, the move, the keys, the swap. */
    private static final List<String> HOLDS = List.of("2.1/migrate-schema:after", "3.0/move-database:after", "3.0/rotate-keys:after",
            "3.0/record-version:after", "3.0/start-services:before");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path home;

    /** Lockbox is a real process of its own: it goes with the test, whatever happened. */
    @AfterEach
    void stopLockbox() throws Exception {
        if (home != null && Files.exists(home.resolve("app/bin/lockbox"))) {
            run(home, "app/bin/lockbox", "stop");
        }
    }

    @Test
    void killedUnderLoadThenResumedOrRolledBackLosesNoAcknowledgedWrite() throws Exception {
        long seed = Long.parseLong(System.getenv().getOrDefault("UPLIFT_KILL_SEED", Long.toString(System.nanoTime())));
        Random random = new Random(seed);
        String hold = HOLDS.get(random.nextInt(HOLDS.size()));
        boolean resume = random.nextBoolean();
        System.out.println("[LockboxUpgradeKillIT] seed " + seed + " (UPLIFT_KILL_SEED repeats it): kill at " + hold + ", then "
                + (resume ? "resume" : "rollback"));

        Path dir = TestPostgres.newTraversableTempDir();
        home = dir.resolve("home");
        UpliftJvm.Result prepared = UpliftJvm.run(dir, Duration.ofMinutes(5), "demo", "--prepare-only", "--serve", "--home", home.toString(),
                "--events", "3000", "--seed", "11");
        assertThat(prepared.exit()).as(prepared.toString()).isZero();
        Process load = startLoad(dir, home);
        try {
            UpliftJvm upgrade = UpliftJvm.start(dir, Map.of("UPLIFT_TEST_HOLD_AT", hold), "upgrade", "--to", "3.0", "--yes", "--home",
                    home.toString());
            assertThat(upgrade.awaitErr("uplift-test-hold " + hold, Duration.ofMinutes(8))).as(upgrade.result(-1).toString()).isTrue();
            upgrade.kill();
            killLockbox(home);

            Run byHand = run(home, "app/bin/lockbox", "start");
            assertThat(byHand.exit()).as("the node gate refuses a start by hand mid-upgrade: %s", byHand.output()).isEqualTo(22);
            assertThat(byHand.output()).contains("mid-upgrade").contains("uplift resume").contains("uplift rollback");

            UpliftJvm.Result finished = UpliftJvm.run(dir, Duration.ofMinutes(8), resume ? "resume" : "rollback", "--yes", "--home",
                    home.toString());
            assertThat(finished.exit()).as(finished.toString()).isZero();
            Run status = run(home, "app/bin/lockbox", "status");
            assertThat(status.exit()).as("Lockbox serves again after the %s: %s", resume ? "resume" : "rollback", status.output()).isZero();
            assertThat(Files.readString(home.resolve("app/VERSION")).strip()).isEqualTo(resume ? "3.0" : "1.0");
        } finally {
            Files.writeString(dir.resolve("load.until"), "done\n");
        }
        assertThat(load.waitFor(4, TimeUnit.MINUTES)).as("the load generator finishes").isTrue();
        String summary = Files.readString(dir.resolve("load.out"));
        System.out.println("[LockboxUpgradeKillIT] " + summary);
        JsonNode report = JSON.readTree(dir.resolve("load.json").toFile());
        JsonNode acks = report.get("acknowledgedWrites").get("secrets");
        assertThat(acks.get("acknowledged").asLong()).as(summary).isPositive();
        assertThat(acks.get("missing").asLong()).as(summary).isZero();
        assertThat(acks.get("different").asLong()).as(summary).isZero();
        assertThat(acks.get("notReadableBeforeDeadline").asLong()).as(summary).isZero();
        assertThat(load.exitValue()).as(summary).isZero();

        run(home, "app/bin/lockbox", "stop");
        UpliftJvm.run(dir, Duration.ofMinutes(2), "db", "stop", "--home", home.toString());
    }

    private static Process startLoad(Path dir, Path home) throws Exception {
        Path jar = Path.of(System.getProperty("uplift.distribution", ".")).resolve("bench/loadgen/target/uplift-loadgen.jar");
        String port = Files.readAllLines(home.resolve("config/lockbox.properties")).stream().filter(l -> l.startsWith("http.port="))
                .findFirst().orElseThrow().substring("http.port=".length());
        Path token = home.resolveSibling(home.getFileName() + ".load").resolve("token");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "--url",
                "http://127.0.0.1:" + port, "--token-file", token.toString(), "--rate", "30", "--until-file",
                dir.resolve("load.until").toString(), "--report", dir.resolve("load.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("load.out").toFile()).start();
    }

    private static void killLockbox(Path home) throws Exception {
        Path pid = home.resolve("data/lockbox.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(Path home, String... command) throws Exception {
        Path out = Files.createTempFile("lockbox-run", ".out");
        try {
            List<String> line = new java.util.ArrayList<>(List.of(command));
            line.set(0, home.resolve(command[0]).toString());
            Process p = new ProcessBuilder(line).directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
