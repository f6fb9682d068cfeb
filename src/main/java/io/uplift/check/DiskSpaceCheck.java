package io.uplift.check;

import io.uplift.api.CheckResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Room for the backup at the backup location: the database size (as the server reports it) plus
 * the program files, config/ and data/, with a margin, since a backup that runs out of room half-way
 * is worse than none.
 */
final class DiskSpaceCheck implements PreflightCheck {
    private static final String ID = "disk-space";
    private static final String TITLE = "Free disk for the backup";
    private static final double MARGIN = 1.2;
    private static final long MB = 1024 * 1024;

    @Override
    public CheckResult run(CheckContext c) {
        long files = size(c.installation().app()) + size(c.installation().config()) + size(c.installation().data());
        long estimate = (long) ((c.database().sizeBytes() + files) * MARGIN);
        long extraMb = c.releasesOnPath().stream().mapToLong(r -> r.prerequisites().freeDiskMb()).max().orElse(0);
        long needed = estimate + extraMb * MB;
        Path location = existingAncestor(c.backupDir());
        long free;
        try {
            free = Files.getFileStore(location).getUsableSpace();
        } catch (IOException e) {
            return CheckResult.fail(ID, TITLE, "cannot read the free space at " + location + ": " + e.getMessage(),
                    "choose a backup location on a mounted, readable file system with --backup-dir");
        }
        String observed = mb(free) + " free at " + location + ", the backup needs about " + mb(estimate)
                + (extraMb > 0 ? " and the releases ask for " + extraMb + " MB more" : "")
                + (c.database().reachable() ? "" : " (database size unknown: it did not answer)");
        if (free < needed) {
            return CheckResult.fail(ID, TITLE, observed, "free " + mb(needed - free) + " there, or pass another location with --backup-dir");
        }
        return CheckResult.pass(ID, TITLE, observed);
    }

    private static String mb(long bytes) {
        return (bytes + MB - 1) / MB + " MB";
    }

    static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }

    static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
