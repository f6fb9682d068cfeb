package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** Bytes of the regular files under a folder (links not followed); 0 for a missing folder. */
final class FolderSize {
    private FolderSize() {}

    static long of(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.mapToLong(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot read the folder " + dir + " to back it up: " + e.getMessage()
                    + ". Check its permissions (Uplift must be able to read everything in it).", e);
        }
    }
}
