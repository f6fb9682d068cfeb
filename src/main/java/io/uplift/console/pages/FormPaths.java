package io.uplift.console.pages;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file and folder fields of the pages' forms. A path must be absolute: a relative one would be
 * taken from the console's working folder, which the operator at the browser neither sees nor chose.
 */
final class FormPaths {
    private FormPaths() {}

    /** A field that may be left blank (password files and the like): blank means not given. */
    static Optional<Path> optional(String field, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(text.strip());
        if (!p.isAbsolute()) {
            throw new UpliftException(ErrorCode.USAGE, field + ": '" + text.strip()
                    + "' is not an absolute path: give the full path on the console's machine. Nothing was started.");
        }
        return Optional.of(p);
    }

    /** A field the form needs. */
    static Path required(String field, String text) {
        return optional(field, text).orElseThrow(() -> new UpliftException(ErrorCode.USAGE, field
                + ": give the full path of a folder on the console's machine. Nothing was started."));
    }
}
