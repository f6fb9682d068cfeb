package io.uplift.cli;

import io.uplift.install.NodeLocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file under a folder with its SHA-256, to prove a command changed nothing. */
final class FolderSnapshot {
    private FolderSnapshot() {}

    /** @param skip a top-level folder left out (a running database server writes into its own) */
    static Map<String, String> of(Path root, String skip) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (skip != null && (rel.equals(skip) || rel.startsWith(skip + "/"))) {
                    continue;
                }
                files.put(rel, Files.isDirectory(p) ? "dir" : NodeLocalFiles.sha256(p).orElse("unreadable"));
            }
        }
        return files;
    }
}
