package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import io.uplift.db.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first step of an import: every file the manifest names checked against its size and
 * SHA-256, side by side on a {@link WorkerPool}, before anything is written; any difference
 * refuses the import, naming each file.
 */
final class ExportFilesCheck {
    private ExportFilesCheck() {}

    /** Reads the manifest of {@code folder} and checks every file it names; throws, naming each file that is missing or differs. */
    static ExportManifest verify(Path folder, int threads) {
        Path dir = folder.toAbsolutePath().normalize();
        ExportManifest m = ExportManifest.read(dir);
        List<ExportManifest.FileEntry> files = m.allFiles();
        List<String> problems;
        try (WorkerPool pool = WorkerPool.start("uplift-import-check", Math.max(1, Math.min(threads, files.size())))) {
            problems = pool.drain(files, () -> entry -> {
                try {
                    return check(dir, entry);
                } catch (RuntimeException e) { // a name the file system refuses, say: reported like a failed read
                    throw new IOException(e.getMessage(), e);
                }
            }, ExportFilesCheck::failure);
        }
        if (!problems.isEmpty()) {
            List<String> sorted = new ArrayList<>(problems);
            sorted.sort(null);
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export in " + dir + " does not match its manifest: "
                    + String.join("; ", sorted) + ". Nothing was imported. Copy the export again from its origin (or export again with"
                    + " 'uplift db move --export-dir').");
        }
        return m;
    }

    private static UpliftException failure(Throwable cause) {
        if (cause instanceof InterruptedException) {
            return new UpliftException(ErrorCode.DATABASE_MOVE, "Checking the export was interrupted; nothing was imported.", cause);
        }
        return new UpliftException(ErrorCode.DATABASE_MOVE, "Checking the export failed: " + cause.getMessage(), cause);
    }

    /** What is wrong with one file, or null when nothing. */
    private static String check(Path dir, ExportManifest.FileEntry e) throws IOException {
        if (e == null || e.file() == null) {
            return "the manifest lists a file without a name";
        }
        Path f = dir.resolve(e.file()).normalize();
        if (!f.startsWith(dir)) {
            return e.file() + " lies outside the export folder";
        }
        if (!Files.isRegularFile(f)) {
            return e.file() + " is missing";
        }
        long size = Files.size(f);
        if (size != e.bytes()) {
            return e.file() + " has " + size + " bytes, the manifest says " + e.bytes();
        }
        String sha = Sha256.hex(f);
        return sha.equals(e.sha256()) ? null : e.file() + " has SHA-256 " + sha + ", the manifest says " + e.sha256();
    }
}
