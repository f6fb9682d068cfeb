package io.uplift.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a full disk from other write failures, so that the operator reads "the disk at X is full,
 * this much is free there" instead of a bare {@code java.io.IOException}. Java reports ENOSPC and
 * EDQUOT only through the message text of the IOException (or through a child process's error
 * output, e.g. pg_dump's "could not write to output file: No space left on device"), so the text
 * is what is looked at.
 */
public final class DiskFull {
    private static final String[] SIGNS = {"No space left on device", "Disk quota exceeded"};
    private static final long MB = 1024 * 1024;

    private DiskFull() {}

    /** Whether {@code e} or one of its causes says the disk (or the user's quota) is full. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                for (String sign : SIGNS) {
                    if (m.contains(sign)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * "The disk at DIR is full (No space left on device; 0 MB free there now)": what was observed,
     * for the start of a message that goes on to say what was kept and what to do.
     */
    public static String at(Path dir, Throwable e) {
        String sign = SIGNS[0];
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(SIGNS[1])) {
                sign = SIGNS[1];
            }
        }
        return "The disk at " + dir + " is full (" + sign + "; " + freeMb(dir) + " free there now)";
    }

    /**
     * {@code e} itself, or, when it says the disk is full, an IOException whose message says so and
     * names the folder written to (the cause is kept).
     */
    public static IOException explain(IOException e, Path dir) {
        if (!is(e) || (e.getMessage() != null && e.getMessage().startsWith("The disk at "))) {
            return e;
        }
        return new IOException(at(dir, e) + ": make room there", e);
    }

    private static String freeMb(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? "unknown MB" : Files.getFileStore(p).getUsableSpace() / MB + " MB";
        } catch (IOException e) {
            return "unknown MB";
        }
    }
}
