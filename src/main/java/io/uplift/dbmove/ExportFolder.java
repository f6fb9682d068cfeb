package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder of {@code --export-dir}: a fresh move needs an empty (or new) folder, a resumed one
 * keeps what its earlier runs wrote. Both get the folder and its data/ readable by the owner only.
 */
final class ExportFolder {
    private ExportFolder() {}

    /** Checks the folder, creates it and data/ (0700), and returns its absolute path. */
    static Path prepare(Path folder, boolean resume) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UpliftException(ErrorCode.USAGE, "--export-dir " + dir + " is a file, not a folder.");
        }
        if (!resume && Files.isDirectory(dir)) {
            requireEmpty(dir);
        }
        OwnerOnly.folder(dir);
        OwnerOnly.folder(dir.resolve("data"));
        return dir;
    }

    // An empty data/ (a move that failed before its first chunk) and the DDL of --drop-source-indexes, written just before, are allowed.
    private static void requireEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.filter(p -> !(p.getFileName().toString().equals("data") && isEmptyDir(p)))
                    .map(p -> p.getFileName().toString()).filter(n -> !n.equals(SourceIndexes.FILE)).toList();
            if (!names.isEmpty()) {
                throw new UpliftException(ErrorCode.USAGE, "--export-dir " + dir + " is not empty (" + names.size()
                        + " entries, e.g. " + names.get(0) + "). An export goes into a new or empty folder; --resume continues"
                        + " the export of an interrupted move in the same folder.");
            }
        }
    }

    private static boolean isEmptyDir(Path p) {
        try (Stream<Path> in = Files.list(p)) {
            return in.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
