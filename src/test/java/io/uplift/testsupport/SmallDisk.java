package io.uplift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited file system of its own (a tmpfs) mounted on a folder, for the full-disk tests: a
 * real disk that fills up, with real "No space left on device" errors for every process writing to
 * it, and room that can be added later ({@link #resize}), as an operator frees space. Mounting needs
 * root (or CAP_SYS_ADMIN); where the tests may not mount, they are skipped, not failed.
 *
 * <p>tmpfs counts whole pages: a file of one byte takes {@link #PAGE} bytes of the size.
 */
public final class SmallDisk implements AutoCloseable {
    public static final long PAGE = 4096;

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages) on the new folder {@code dir}, mode 755, owned by root. */
    public static SmallDisk mount(Path dir, long bytes) {
        return mount(dir, bytes, null);
    }

    /**
     * As {@link #mount(Path, long)}, the root of the file system owned by OS user {@code owner} with mode 700
     * (e.g. {@code postgres}, for a tablespace), or by root with mode 755 when {@code owner} is null.
     */
    public static SmallDisk mount(Path dir, long bytes, String owner) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String options = "size=" + roundUp(bytes) + (owner == null ? ",mode=0755"
                : ",mode=0700,uid=" + run(List.of("id", "-u", owner)).strip() + ",gid=" + run(List.of("id", "-g", owner)).strip());
        Result r = exec(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        Assumptions.assumeTrue(r.exit == 0, () -> "the full-disk tests mount a small tmpfs, and this machine does not let them"
                + " (mount -t tmpfs needs root or CAP_SYS_ADMIN): " + r.output.strip());
        return new SmallDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Changes the size, e.g. to give room after a failure (the content stays). */
    public void resize(long bytes) {
        run(List.of("mount", "-o", "remount,size=" + roundUp(bytes), dir.toString()));
    }

    /** The bytes a new file can still take, as the file system says. */
    public long freeBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lazy unmount: gone from the tree at once even if a process still holds a file in it. */
    @Override
    public void close() {
        run(List.of("umount", "-l", dir.toString()));
    }

    public static long roundUp(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    private record Result(int exit, String output) {}

    private static String run(List<String> command) {
        Result r = exec(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
        return r.output;
    }

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
