package io.uplift.demo;

import io.uplift.api.AvailabilitySummary;
import io.uplift.api.DemoService;
import io.uplift.api.ErrorCode;
import io.uplift.api.LoadRun;
import io.uplift.api.UpliftException;
import io.uplift.db.ChildEnvironment;
import io.uplift.journal.DurableFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's users: an app token made by Lockbox itself ({@code io.lockbox.Lockbox token create},
 * so it has the format the running release issues), and the load generator
 * (bench/loadgen) reading and writing through Lockbox's API while the upgrade runs. The load
 * generator is a process of its own, as it would be on a user's machine; its files go to HOME.load/
 * beside the home, never into it (the upgrade backs the home up and a rollback restores it).
 */
public final class DemoLoad implements LoadRun {
    /** Requests per second: a steady load the 2-core machines the demo runs on keep up with beside the upgrade. */
    private static final String RATE = "20";
    private static final long FINISH_MINUTES = 5;
    /** How long the users work before the upgrade may begin (as bench/availability.sh's --lead). */
    private static final java.time.Duration LEAD = java.time.Duration.ofSeconds(3);

    private final Process process;
    private final Path until;
    private final Path output;
    private final Path report;

    private DemoLoad(Process process, Path until, Path output, Path report) {
        this.process = process;
        this.until = until;
        this.output = output;
        this.report = report;
    }

    /** After the services started: an app token for the load, in HOME.load/token (mode 600). */
    public static DemoService tokenFor(Path home) {
        Path dir = loadDir(home);
        Path tokenFile = dir.resolve("token");
        // The home's name too: the nodes of a cluster demo make theirs at the same moment, in one token table.
        String name = "uplift-demo-load-" + home.toAbsolutePath().normalize().getFileName() + "-" + Long.toHexString(System.currentTimeMillis());
        List<String> command = List.of(java(), "-cp", home.resolve("app/lib").toString() + File.separator + "*", "io.lockbox.Lockbox",
                "token", "create", name, "--home", home.toString());
        try {
            Files.createDirectories(dir);
            Path out = Files.createTempFile(dir, "token-create", ".out");
            Path err = Files.createTempFile(dir, "token-create", ".err");
            try {
                int exit = runQuietly(command, home, out, err);
                if (exit != 0) {
                    throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Lockbox could not create the demo's app token (exit "
                            + exit + "): " + Files.readString(err, StandardCharsets.UTF_8).strip());
                }
                // Standard output holds the token alone; never printed or logged by Uplift.
                String token = Files.readString(out, StandardCharsets.UTF_8).strip();
                DurableFiles.write(tokenFile, (token + "\n").getBytes(StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot make the demo's app token in " + dir + ": " + e.getMessage(), e);
        }
        return new DemoService("http://127.0.0.1:" + LockboxServiceSettings.port(home), tokenFile);
    }

    /** Starts the load generator against the service; {@link #finish()} ends it. */
    public static DemoLoad start(Path home, DemoService service, Path loadGenerator) {
        Path dir = loadDir(home);
        Path until = dir.resolve("until");
        Path output = dir.resolve("load.out");
        Path report = dir.resolve("report.json");
        try {
            Files.deleteIfExists(until);
            ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx128m", "-jar", loadGenerator.toString(), "--url", service.url(),
                    "--token-file", service.tokenFile().toString(), "--rate", RATE, "--until-file", until.toString(), "--report",
                    report.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            DemoLoad load = new DemoLoad(ChildEnvironment.forServices().applyTo(builder, Map.of()).start(), until, output, report);
            load.awaitUsers();
            return load;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot start the load generator " + loadGenerator + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns once the users have been at work for {@link #LEAD}: the load generator has warmed up (it
     * prints its "health before the load" line then) and run that long, so that writes were
     * acknowledged before the upgrade enters maintenance and the read-back has something to find.
     */
    private void awaitUsers() throws IOException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!Files.readString(output, StandardCharsets.UTF_8).contains("health before the load")) {
                if (!process.isAlive() || System.nanoTime() > giveUpAt) {
                    throw new UpliftException(ErrorCode.INTERNAL, "The load generator did not start; its output is in " + output + ".");
                }
                Thread.sleep(100);
            }
            Thread.sleep(LEAD.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new UpliftException(ErrorCode.INTERNAL, "Interrupted while the load generator started.", e);
        }
    }

    @Override
    public AvailabilitySummary finish() {
        try {
            Files.writeString(until, "done\n");
            if (!process.waitFor(FINISH_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new UpliftException(ErrorCode.INTERNAL, "The load generator did not finish within " + FINISH_MINUTES
                        + " minutes; its output is in " + output + ".");
            }
            return new AvailabilitySummary(Files.readString(output, StandardCharsets.UTF_8).strip(), process.exitValue() == 0, report);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot read the load generator's report in " + output + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new UpliftException(ErrorCode.INTERNAL, "Interrupted while the load generator finished; its output is in " + output + ".", e);
        }
    }

    /** HOME.load/ beside the home. */
    static Path loadDir(Path home) {
        Path h = home.toAbsolutePath().normalize();
        return h.resolveSibling(h.getFileName() + ".load");
    }

    private static int runQuietly(List<String> command, Path home, Path out, Path err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = ChildEnvironment.forServices().applyTo(builder, Map.of()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", command.subList(0, 4)) + " token create' did not finish within 60 s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IOException("interrupted", e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
