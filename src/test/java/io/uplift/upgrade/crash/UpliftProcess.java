package io.uplift.upgrade.crash;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The uplift command line as a separate JVM, the way an operator runs it: it can be killed with a
 * real SIGKILL ({@link Process#destroyForcibly()}), which no in-process run can imitate.
 */
final class UpliftProcess {
    static final long TIMEOUT_SECONDS = 180;
    static final String HOLD_ENV = "UPLIFT_TEST_HOLD_AT";

    /** A finished command. */
    record Result(int exit, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + millis + " ms\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private final Process process;
    private final long startNanos;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final CompletableFuture<String> holdLine = new CompletableFuture<>();
    private final List<Line> outLines = Collections.synchronizedList(new ArrayList<>());
    private final Thread outPump;
    private final Thread errPump;

    private UpliftProcess(Process process, long startNanos) {
        this.process = process;
        this.startNanos = startNanos;
        this.outPump = pump(process, false);
        this.errPump = pump(process, true);
    }

    /**
     * How to start the command line: the JVM options, a class path and the distribution folder.
     * {@link #snapshot} copies what a concurrent rebuild of the project could change under a long
     * test (the project's jar, the demo catalog), so every child runs the same code and catalog.
     */
    record Launcher(List<String> jvmOptions, String classpath, String distribution, String pgBinaries) {
        static Launcher snapshot(Path dir) throws IOException {
            Files.createDirectories(dir);
            Path jar = dir.resolve("uplift.jar");
            Files.copy(Path.of(required("uplift.jar")), jar, StandardCopyOption.REPLACE_EXISTING);
            List<String> entries = new ArrayList<>(List.of(jar.toString()));
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                entries.addAll(dependencyJars(Path.of(e)));
            }
            Path dist = dir.resolve("distribution");
            Path catalog = Path.of(required("uplift.distribution")).resolve("examples/lockbox/catalog");
            copyTree(catalog, dist.resolve("examples/lockbox/catalog"));
            standInLaunchers(dist.resolve("examples/lockbox/catalog"));
            return new Launcher(List.of(
                    // Faster start of short-lived JVMs; nothing the engine does depends on the JIT or the collector.
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=off"),
                    String.join(File.pathSeparator, entries.stream().distinct().toList()), dist.toString(), required("uplift.pg.binaries"));
        }

        /**
         * The crash test is about Uplift's journal, not the product: its ~96 killed runs would each leave a
         * real Lockbox process behind and take far longer. So app/bin/lockbox becomes a stand-in whose start
         * and stop only create and remove data/lockbox.running (what the real service does to processes,
         * LockboxUpgradeKillIT tests), and each release's checksums are brought up to date as a vendor does.
         */
        private static void standInLaunchers(Path catalog) throws IOException {
            String script = "#!/bin/sh\n# Stand-in for Lockbox's launcher in the crash test (see UpliftProcess).\n"
                    + "case \"$1\" in\n"
                    + "  start) mkdir -p data && echo running > data/lockbox.running ;;\n"
                    + "  stop) rm -f data/lockbox.running ;;\n"
                    + "  status) [ -f data/lockbox.running ] || exit 3 ;;\n"
                    + "  version) cat app/VERSION ;;\n"
                    + "  *) exit 2 ;;\n"
                    + "esac\n";
            try (java.util.stream.Stream<Path> releases = Files.list(catalog.resolve("releases"))) {
                for (Path release : releases.sorted().toList()) {
                    Path launcher = release.resolve("app/bin/lockbox");
                    if (Files.exists(launcher)) {
                        Files.writeString(launcher, script);
                        io.uplift.testsupport.ShippedCatalog.reseal(catalog, release.getFileName().toString());
                    }
                }
            }
        }

        Launcher withOption(String option) {
            List<String> options = new ArrayList<>(jvmOptions);
            options.add(option);
            return new Launcher(List.copyOf(options), classpath, distribution, pgBinaries);
        }

        /** Starts {@code uplift ARGS}; {@code holdAt} (may be null) sets the engine's fault knob. */
        UpliftProcess start(String holdAt, String... args) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, "-Duplift.distribution=" + distribution, "-Duplift.pg.binaries=" + pgBinaries,
                    "io.uplift.cli.Main"));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            env.remove(HOLD_ENV);
            env.remove("UPLIFT_HOME");
            if (holdAt != null) {
                env.put(HOLD_ENV, holdAt);
            }
            try {
                long t0 = System.nanoTime();
                Process p = pb.start();
                p.getOutputStream().close(); // no terminal, no answers: --yes is needed, as in a script
                return new UpliftProcess(p, t0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        /** Runs {@code uplift ARGS} to the end. */
        Result run(String... args) {
            return start(null, args).await();
        }

        /** The jars of a class path entry; a surefire/failsafe manifest-only jar stands for the jars it lists. */
        private static List<String> dependencyJars(Path entry) throws IOException {
            if (!Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
                return List.of(); // target/classes, target/test-classes: the copied uplift.jar has the main classes
            }
            if (!entry.getFileName().toString().startsWith("surefirebooter")) {
                return List.of(entry.toString());
            }
            List<String> out = new ArrayList<>();
            try (JarFile booter = new JarFile(entry.toFile())) {
                String cp = booter.getManifest().getMainAttributes().getValue("Class-Path");
                for (String url : cp == null ? new String[0] : cp.trim().split("\\s+")) {
                    Path p = Path.of(URI.create(url));
                    if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                        out.add(p.toString());
                    }
                }
            }
            return out;
        }

        private static void copyTree(Path from, Path to) throws IOException {
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path src : walk.toList()) {
                    Path dst = to.resolve(from.relativize(src).toString());
                    if (Files.isDirectory(src)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    /** A line of standard output and when it arrived ({@link System#nanoTime()}). */
    private record Line(long nanos, String text) {}

    long startNanos() {
        return startNanos;
    }

    /**
     * Waits for a line of standard output that starts (after blanks) with {@code prefix}; returns
     * when it arrived ({@link System#nanoTime()}), or -1 when the process ended without it or the
     * time ran out.
     */
    long awaitOutput(String prefix, long timeoutSeconds) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            boolean ended = !outPump.isAlive(); // read before the scan: a line added just before the end is still seen
            synchronized (outLines) {
                for (Line l : outLines) {
                    if (l.text().strip().startsWith(prefix)) {
                        return l.nanos();
                    }
                }
            }
            if (ended || System.nanoTime() > deadline) {
                return -1;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /** Waits for the line the fault knob prints when the engine parks; null if the process ended first. */
    String awaitHold(long timeoutSeconds) {
        CompletableFuture<Object> ended = process.onExit().thenApply(p -> null);
        try {
            Object first = CompletableFuture.anyOf(holdLine, ended).get(timeoutSeconds, TimeUnit.SECONDS);
            if (first == null) {
                // The process ended; the pump may still hold the line if it was printed just before.
                errPump.join(5000);
                return holdLine.getNow(null);
            }
            return (String) first;
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, like kill -9; returns what the process had printed and its exit status (137 when killed). */
    Result kill() {
        process.destroyForcibly();
        return await();
    }

    Result await() {
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("uplift did not finish within " + TIMEOUT_SECONDS + " s; killed it.\n--- out\n" + out
                        + "\n--- err\n" + err);
            }
            outPump.join(10_000);
            errPump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(process.exitValue(), out.toString(), err.toString(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private Thread pump(Process p, boolean stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr ? p.getErrorStream() : p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    (stderr ? err : out).append(line).append('\n');
                    if (!stderr) {
                        outLines.add(new Line(System.nanoTime(), line));
                    }
                    if (stderr && line.startsWith("uplift-test-hold ")) {
                        holdLine.complete(line.substring("uplift-test-hold ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // The process was killed while we read: what we have is what it printed.
            }
        }, "uplift-" + (stderr ? "err" : "out") + "-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run this test through failsafe (mvn verify).");
        }
        return value;
    }
}
