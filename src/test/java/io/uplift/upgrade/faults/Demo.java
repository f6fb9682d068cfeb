package io.uplift.upgrade.faults;

import io.uplift.testsupport.ShippedCatalog;
import io.uplift.testsupport.UpliftJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Lockbox 1.0 demo installation of a test, on its own PostgreSQL 10 server, driven through the
 * uplift command line in child JVMs. Every demo made is remembered, so that {@link #stopAll()} can
 * stop its server whatever the test did.
 */
final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Demo> MADE = new ArrayList<>();

    final Path home;
    final Path work;

    private Demo(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    /** A fresh 1.0 installation with 1,500 events. */
    static Demo prepare() {
        return prepare(1500);
    }

    /** A fresh 1.0 installation with {@code events} events. */
    static Demo prepare(int events) {
        Path dir = TestPostgres.newTraversableTempDir();
        Demo demo = new Demo(dir.resolve("lockbox"), dir.resolve("work"));
        synchronized (MADE) {
            MADE.add(demo);
        }
        UpliftJvm.Result r = demo.run("demo", "--prepare-only", "--home", demo.home.toString(), "--events", Integer.toString(events), "--seed", "7");
        assertThat(r.exit()).as(r.toString()).isZero();
        return demo;
    }

    /** Stops the database server of every demo made (each 'db stop' is harmless when it is down). */
    static void stopAll() {
        synchronized (MADE) {
            for (Demo d : MADE) {
                if (Files.exists(d.home.resolve(".uplift/state.json"))) {
                    UpliftJvm.Result r = d.run("db", "stop", "--home", d.home.toString());
                    if (r.exit() != 0) {
                        System.err.println("[UpgradeFaultsIT] could not stop the server of " + d.home + ": " + r);
                    }
                }
            }
            MADE.clear();
        }
    }

    UpliftJvm.Result run(String... args) {
        return UpliftJvm.run(work, Duration.ofMinutes(3), args);
    }

    /** The command with --home (and --catalog when given) appended. */
    String[] args(Optional<Path> catalog, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home");
        all.add(home.toString());
        catalog.ifPresent(c -> {
            all.add("--catalog");
            all.add(c.toString());
        });
        return all.toArray(String[]::new);
    }

    JsonNode status(Optional<Path> catalog) {
        UpliftJvm.Result r = run(args(catalog, "status", "--json"));
        assertThat(r.exit()).as(r.toString()).isZero();
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("status --json printed no JSON: " + r, e);
        }
    }

    Path journalFile() {
        return home.resolve(".uplift/journal.json");
    }

    /** The journal as it is on disk now; empty when there is none (it is replaced atomically). */
    Optional<JsonNode> journal() {
        try {
            return Optional.of(JSON.readTree(Files.readAllBytes(journalFile())));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The journal status of one step, or "" when there is no journal. */
    String stepStatus(String stepId) {
        return journal().map(j -> {
            for (JsonNode s : j.get("steps")) {
                if (s.get("id").asText().equals(stepId)) {
                    return s.get("status").asText();
                }
            }
            throw new AssertionError("the journal has no step " + stepId + ": " + j);
        }).orElse("");
    }

    Properties databaseProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(home.resolve("config/database.properties"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The port of the database server, from the demo's own database settings. */
    static int port(String jdbcUrl) {
        Matcher m = Pattern.compile("^jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/").matcher(jdbcUrl);
        assertThat(m.find()).as("a loopback URL with a port: " + jdbcUrl).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A copy of the shipped Lockbox catalog in a new folder, changed by {@code edit}. */
    static Path catalogCopy(Consumer<Path> edit) {
        return ShippedCatalog.copy(edit::accept);
    }

    /**
     * The catalog with a migration added to 2.1 that takes four seconds ({@code pg_sleep}), last in
     * the hop 1.1 -> 2.1: its single transaction then stays open long enough to be interrupted.
     */
    static Path slowMigrationCatalog() {
        return catalogCopy(c -> {
            write(c.resolve("releases/2.1/migrations/V2_1_0_900__slow.sql"), "SELECT pg_sleep(4);\n");
            reseal(c, "2.1");
        });
    }

    /** A release changed on purpose, as a vendor would: its checksums brought up to date. */
    static void reseal(Path catalog, String version) {
        try {
            ShippedCatalog.reseal(catalog, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
