package io.uplift.console.pages;

import java.nio.file.Path;
import java.util.Optional;

/** Optional file fields of the pages' forms (password files and the like): blank means not given. */
final class FormPaths {
    private FormPaths() {}

    static Optional<Path> optional(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(Path.of(text.trim()));
    }
}
