package io.uplift.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many bytes can still be written at a folder that exists. An interface so that tests can make a
 * location "full" without filling a disk; {@link #FILE_STORE} asks the file system.
 */
@FunctionalInterface
public interface FreeSpace {
    FreeSpace FILE_STORE = folder -> Files.getFileStore(folder).getUsableSpace();

    long usableBytes(Path existingFolder) throws IOException;
}
