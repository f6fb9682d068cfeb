package io.lockbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens HOME/config/keyset.json, the installation keyset in Uplift's sealed envelope (format
 * "uplift-keyset/1", documented in Uplift's docs/keys.md, "The installation keyset"): a JSON header
 * naming where the 32-byte master key comes from and a key check, and Tink's encrypted keyset, sealed
 * with AES-256-GCM under the master key with every header field as associated data. Lockbox has its
 * own reader (it uses no Uplift class but the gate) and supports the key-file and environment
 * sources; a passphrase needs a terminal or Argon2id, which a service has not, and is refused.
 */
final class SealedKeysetReader {
    private static final String FORMAT = "uplift-keyset/1";
    private static final String PURPOSE = "uplift installation keyset: encrypts the product's secret columns";
    private static final byte[] CHECK_LABEL = "uplift master key check v1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SealedKeysetReader() {}

    static KeysetHandle open(Path file) {
        JsonNode root = parse(file);
        JsonNode master = root.path("master");
        String source = text(file, master, "source");
        String fingerprint = text(file, root, "fingerprint");
        if (!root.path("primaryKeyId").canConvertToLong()) {
            throw damaged(file, "its primaryKeyId is missing");
        }
        long primaryKeyId = root.path("primaryKeyId").asLong();
        String check = text(file, master, "check");
        StringBuilder ad = new StringBuilder(FORMAT).append('\n').append(PURPOSE).append('\n')
                .append("fingerprint=").append(fingerprint).append('\n')
                .append("primaryKeyId=").append(primaryKeyId).append('\n')
                .append("source=").append(source).append('\n');
        byte[] key;
        switch (source) {
            case "key-file" -> {
                Path keyFile = Path.of(text(file, master, "path")).toAbsolutePath().normalize();
                ad.append("path=").append(keyFile).append('\n');
                key = readKeyFile(keyFile, file);
            }
            case "environment" -> {
                String variable = text(file, master, "variable");
                ad.append("variable=").append(variable).append('\n');
                String value = System.getenv(variable);
                if (value == null || value.isBlank()) {
                    throw keyset("The keyset " + file + " is sealed with a master key from the environment variable " + variable
                            + ", which is not set for Lockbox. Set it in the service's environment to the base64 of the 32-byte master key.");
                }
                key = decode(value.strip(), "the environment variable " + variable);
            }
            case "passphrase" -> throw keyset("The keyset " + file + " is sealed with a passphrase, which a service cannot ask for."
                    + " Seal it with a key file or an environment variable instead: uplift keys protect --home HOME --key-file FILE"
                    + " (or --key-env VARIABLE).");
            default -> throw damaged(file, "its master.source '" + source + "' is none of key-file, environment, passphrase");
        }
        try {
            ad.append("check=").append(check).append('\n');
            if (!check.equals(check(key))) {
                throw keyset("Wrong master key: it does not open the keyset " + file + " (its key check differs from the recorded "
                        + check + "). Give Lockbox the master key this keyset was sealed with: the one of the node that wrote it.");
            }
            return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(root.get("encryptedKeyset").toString(), new AesGcmJce(key),
                    ad.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof LockboxException l) {
                throw l;
            }
            throw damaged(file, "it failed its integrity check (the encrypted keyset or its header was changed after Uplift wrote it)");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static JsonNode parse(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw keyset("The keyset " + file + " does not exist. Restore it from this node's backup; without it the secrets cannot be read.");
        } catch (IOException e) {
            throw damaged(file, "it cannot be read or is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw damaged(file, "it is empty or not a JSON object");
        }
        if (!root.has("format") && root.has("primaryKeyId") && root.has("key")) {
            // Uplift refuses a keyset in clear too: reading one would keep keys on disk unprotected.
            throw keyset("The keyset " + file + " is stored in clear. Seal it once with 'uplift keys protect --home HOME --key-file FILE'"
                    + " (or --key-env VARIABLE), then start Lockbox again.");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw damaged(file, "its format is '" + root.path("format").asText() + "', not " + FORMAT);
        }
        if (!root.path("encryptedKeyset").isObject()) {
            throw damaged(file, "it has no encryptedKeyset");
        }
        return root;
    }

    /** 32 random bytes, raw or as base64 text; refused when others may read it, as Uplift refuses it. */
    private static byte[] readKeyFile(Path keyFile, Path keyset) {
        try {
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile));
            if (!mode.substring(3).equals("------")) {
                throw keyset("The master key file " + keyFile + " can be read or changed by other users (mode " + mode
                        + "); Lockbox refuses it. Run: chmod 600 " + keyFile);
            }
            byte[] content = Files.readAllBytes(keyFile);
            if (content.length == 32) {
                return content;
            }
            return decode(new String(content, StandardCharsets.US_ASCII).strip(), "the master key file " + keyFile);
        } catch (NoSuchFileException e) {
            throw keyset("The master key file " + keyFile + " named by the keyset " + keyset + " does not exist. Put it back from where"
                    + " you keep it safe; without it the keyset cannot be opened.");
        } catch (IOException e) {
            throw keyset("Cannot read the master key file " + keyFile + ": " + e.getMessage() + ". Run Lockbox as the account that owns it.");
        }
    }

    private static byte[] decode(String base64, String what) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw keyset("The master key in " + what + " is not valid base64: it must be 32 random bytes, raw or as base64 text.");
        }
        if (key.length != 32) {
            throw keyset("The master key in " + what + " has " + key.length + " bytes, not 32.");
        }
        return key;
    }

    /** The first 8 bytes of HMAC-SHA256(master key, label), in hex: tells a wrong key from a damaged file. */
    private static String check(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(Arrays.copyOf(mac.doFinal(CHECK_LABEL), 8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("Every Java runtime provides HmacSHA256", e);
        }
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw damaged(file, "the field '" + field + "' is missing");
        }
        return v.asText();
    }

    private static LockboxException keyset(String message) {
        return new LockboxException(LockboxException.KEYSET, message);
    }

    private static LockboxException damaged(Path file, String why) {
        return keyset("The keyset " + file + " is damaged: " + why + ". Restore config/keyset.json from this node's backup,"
                + " never from another installation.");
    }
}
