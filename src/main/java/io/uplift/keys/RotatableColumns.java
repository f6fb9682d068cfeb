package io.uplift.keys;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release;
import io.uplift.catalog.Release.EncryptedColumn;
import java.util.List;

/** The encrypted columns of a release, refused before anything changes when a rotation could not cover them. */
public final class RotatableColumns {
    private RotatableColumns() {}

    /**
     * The release's encrypted columns, each with a key-id column. Without any, Uplift would not
     * know where the ciphertexts are, and retiring the old key later would make them unreadable.
     */
    public static List<EncryptedColumn> of(Release release) {
        String file = release.folder().resolve("release.yaml").toString();
        if (release.encryptedColumns().isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The catalog's release " + release.version() + " (" + file
                    + ") lists no encrypted-columns, so Uplift cannot know which values a new key must re-encrypt. The vendor must"
                    + " list them (table, column, key-id-column, associated-data) before keys can be rotated; nothing was changed.");
        }
        for (EncryptedColumn c : release.encryptedColumns()) {
            if (c.keyIdColumn().isEmpty()) {
                throw new UpliftException(ErrorCode.CATALOG_INVALID, "The encrypted column " + c.table() + "." + c.column() + " in " + file
                        + " has no key-id-column, so a rotation cannot tell re-encrypted values from the others; the vendor must add"
                        + " one. Nothing was changed.");
            }
        }
        return release.encryptedColumns();
    }
}
