package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Bytes of the regular files under a folder (links not followed); 0 for a missing folder. An estimate
 * for the room check and the progress bar: a running database server removes and adds files while it
 * is measured, so a file that vanishes meanwhile is simply not counted.
 */
final class FolderSize {
    private FolderSize() {}

    static long of(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] bytes = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        bytes[0] += a.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
            return bytes[0];
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot read the folder " + dir + " to back it up: " + e.getMessage()
                    + ". Check its permissions (Uplift must be able to read everything in it).", e);
        }
    }
}
