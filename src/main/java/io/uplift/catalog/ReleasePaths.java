package io.uplift.catalog;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The path fields of release.yaml and product.yaml: a folder of the release must stay inside it, a
 * node-local file inside the home, and any path must be one the file system can hold.
 */
final class ReleasePaths {
    private ReleasePaths() {}

    static Path folder(YamlMap map, Path releaseFolder, String key, String defaultName, boolean required) {
        String name = map.optString(key).orElse(defaultName);
        if (!isPath(name)) {
            map.problem(null, key, notAPath(name));
            return null;
        }
        Path dir = releaseFolder.resolve(name).normalize();
        if (!dir.startsWith(releaseFolder)) {
            map.problem(null, key, "'" + name + "' leaves the release folder; use a folder inside it");
            return null;
        }
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (required || map.has(key)) {
            map.problem(null, key, "the folder " + dir + " does not exist");
        }
        return null;
    }

    static void checkRelativePaths(YamlMap map, String key, List<String> paths) {
        for (String p : paths) {
            if (!isPath(p)) {
                map.problem(null, key, notAPath(p));
                continue;
            }
            Path path = Path.of(p).normalize();
            if (path.isAbsolute() || path.startsWith("..")) {
                map.problem(null, key, "'" + p + "' must be a path inside the home, such as config/keyset.json");
            }
        }
    }

    /** Whether the text can name a file at all: a NUL (a YAML "\0") or another byte no path may hold cannot. */
    private static boolean isPath(String text) {
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String notAPath(String text) {
        return "'" + text.replace("\0", "\\0") + "' is not a usable path: it holds a NUL character or another one no path may hold;"
                + " write a plain relative path";
    }
}
