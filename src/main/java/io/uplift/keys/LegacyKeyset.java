package io.uplift.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A keyset as Uplift wrote it before encryption at rest: Tink's cleartext JSON. It is only ever
 * read to be sealed ('uplift keys protect'); loading refuses it.
 */
final class LegacyKeyset {
    private LegacyKeyset() {}

    static boolean isCleartext(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
            return root != null && root.isObject() && !root.has("format") && root.has("primaryKeyId") && root.has("key");
        } catch (IOException e) {
            return false;
        }
    }

    static KeysetHandle read(Path file) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8), RegistryConfiguration.get(),
                    InsecureSecretKeyAccess.get());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file + " looks like a keyset in clear but Tink"
                    + " cannot read it (" + e.getClass().getSimpleName() + "). Restore config/keyset.json from this node's backup.", e);
        }
    }
}
