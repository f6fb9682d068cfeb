package io.uplift.testsupport;

import io.uplift.journal.HomeLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding the home lock, as a running upgrade does: a child JVM that takes the lock
 * with {@link HomeLock}, says so on standard output, and keeps it until its standard input closes
 * (or it is killed). A lock held by the test's own JVM would not do: the OS sees one process only.
 */
public final class LockHolderJvm implements AutoCloseable {
    private final Process process;

    private LockHolderJvm(Process process) {
        this.process = process;
    }

    /** Starts the holder and returns once it holds the lock of {@code home}. */
    public static LockHolderJvm hold(Path home, String command) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                LockHolderJvm.class.getName(), home.resolve(".uplift/lock").toString(), command);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"held".equals(line)) {
                p.destroyForcibly();
                throw new IllegalStateException("the lock holder did not get the lock of " + home + ": " + line);
            }
            return new LockHolderJvm(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Releases the lock: the holder ends when its standard input closes. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static void main(String[] args) throws IOException {
        try (HomeLock lock = HomeLock.tryAcquire(Path.of(args[0]), args[1]).orElseThrow()) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the lock until the test closes our standard input
            }
        }
    }
}
