package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * The on-disk form of the installation keyset ({@code config/keyset.json}): a JSON envelope whose
 * {@code encryptedKeyset} is Tink's encrypted-keyset serialization, sealed with the master key
 * (AES-256-GCM), and whose header says, without any secret, how to get that master key. Every
 * header field is bound to the ciphertext as associated data, so a header edited by hand fails
 * the integrity check exactly as an edited ciphertext does. The format is documented in docs/keys.md
 * ("The installation keyset").
 */
public final class KeysetEnvelope {
    static final String FORMAT = "uplift-keyset/1";
    private static final String PURPOSE = "uplift installation keyset: encrypts the product's secret columns";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Keys derived from a passphrase in this process, by source (salt and parameters): one command
     * opens the keyset several times, and should ask for the passphrase (and spend the Argon2id
     * memory) once. Only keys that passed the check are kept, per environment the passphrase came
     * from (the process's own is one object); they live as long as the process.
     */
    private static final java.util.Map<Object, MasterKey> PASSPHRASE_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private record CacheKey(KeyEnvironment env, MasterKeySource source) {}

    private KeysetEnvelope() {}

    /** What the header says, readable without the master key: enough for backups and mismatch reports. */
    public record Header(String fingerprint, long primaryKeyId, MasterKeySource source, String check) {}

    /** An opened keyset: the handle and the master key it was sealed with, to seal it again after a change. */
    record Opened(KeysetHandle handle, Header header, MasterKey masterKey) {}

    static byte[] seal(KeysetHandle handle, String fingerprint, long primaryKeyId, MasterKeySource source, MasterKey key) {
        Header header = new Header(fingerprint, primaryKeyId, source, key.check());
        try {
            String sealed = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, key.aead(), associatedData(header));
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("purpose", PURPOSE);
            root.put("fingerprint", fingerprint);
            root.put("primaryKeyId", primaryKeyId);
            ObjectNode master = root.putObject("master");
            master.put("source", source.kind());
            if (source instanceof MasterKeySource.KeyFile f) {
                master.put("path", f.path().toString());
            } else if (source instanceof MasterKeySource.Environment e) {
                master.put("variable", e.variable());
            } else if (source instanceof MasterKeySource.Passphrase p) {
                master.put("variable", p.variable());
                ObjectNode kdf = master.putObject("kdf");
                kdf.put("algorithm", "argon2id");
                kdf.put("version", 19);
                kdf.put("memoryKib", p.kdf().memoryKib());
                kdf.put("iterations", p.kdf().iterations());
                kdf.put("parallelism", p.kdf().parallelism());
                kdf.put("salt", Base64.getEncoder().encodeToString(p.kdf().salt()));
            }
            master.put("check", header.check());
            root.set("encryptedKeyset", JSON.readTree(sealed));
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot seal the keyset: " + e.getMessage(), e);
        }
    }

    /** Reads the header of a keyset file, without the master key. */
    public static Header header(Path file) {
        return header(file, parse(file, read(file)));
    }

    /** The header's fingerprint, or empty when the file is missing or not a sealed keyset; never throws. */
    public static Optional<String> fingerprintOf(Path file) {
        try {
            return Optional.of(header(file).fingerprint());
        } catch (UpliftException e) {
            return Optional.empty();
        }
    }

    static Opened open(Path file, KeyEnvironment env) {
        JsonNode root = parse(file, read(file));
        Header header = header(file, root);
        CacheKey cacheKey = new CacheKey(env, header.source());
        MasterKey key = PASSPHRASE_KEYS.get(cacheKey);
        if (key == null || !key.check().equals(header.check())) {
            key = MasterKeys.resolve(header.source(), env, file);
        }
        if (!key.check().equals(header.check())) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Wrong master key: " + header.source().describe()
                    + " does not open the keyset " + file + " (its key check " + key.check() + " differs from the recorded " + header.check()
                    + "). Nothing was changed. Use the " + (header.source() instanceof MasterKeySource.Passphrase ? "passphrase" : "master key")
                    + " this keyset was sealed with: the one of the node that wrote it.");
        }
        if (header.source() instanceof MasterKeySource.Passphrase) {
            PASSPHRASE_KEYS.put(cacheKey, key);
        }
        try {
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(root.get("encryptedKeyset").toString(), key.aead(),
                    associatedData(header));
            return new Opened(handle, header, key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw damaged(file, "it failed its integrity check (the encrypted keyset or its header was changed after Uplift wrote it)");
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " does not exist. Restore it from the installation's backup; without it the encrypted values cannot be read.", e);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read the keyset " + file + ": " + e.getMessage()
                    + ". Run Uplift as the user that owns the installation.", e);
        }
    }

    private static JsonNode parse(Path file, byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            // The position only, never the parser's excerpt of the content.
            String at = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw damaged(file, "it is not valid JSON" + at + ", probably truncated or edited by hand");
        }
        if (root == null || !root.isObject()) {
            throw damaged(file, "it is empty or not a JSON object");
        }
        if (!root.has("format") && root.has("primaryKeyId") && root.has("key")) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file + " is stored in clear, as Uplift wrote keysets"
                    + " before they were encrypted at rest. Uplift no longer uses a keyset in clear. Seal it once with"
                    + " 'uplift keys protect --home HOME --key-file FILE' (or --key-env VARIABLE, or --passphrase); nothing else changes.");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw damaged(file, "its format is '" + root.path("format").asText() + "', not " + FORMAT);
        }
        return root;
    }

    private static Header header(Path file, JsonNode root) {
        JsonNode master = root.path("master");
        String source = text(file, master, "source");
        MasterKeySource s = switch (source) {
            case "key-file" -> new MasterKeySource.KeyFile(Path.of(text(file, master, "path")));
            case "environment" -> new MasterKeySource.Environment(text(file, master, "variable"));
            case "passphrase" -> {
                JsonNode kdf = master.path("kdf");
                if (!"argon2id".equals(kdf.path("algorithm").asText()) || kdf.path("version").asInt() != 19) {
                    throw damaged(file, "its master.kdf is not Argon2id version 19");
                }
                byte[] salt;
                try {
                    salt = Base64.getDecoder().decode(text(file, kdf, "salt"));
                } catch (IllegalArgumentException e) {
                    throw damaged(file, "its master.kdf.salt is not base64");
                }
                yield new MasterKeySource.Passphrase(text(file, master, "variable"), new Argon2Kdf(integer(file, kdf, "memoryKib"),
                        integer(file, kdf, "iterations"), integer(file, kdf, "parallelism"), salt));
            }
            default -> throw damaged(file, "its master.source '" + source + "' is none of key-file, environment, passphrase");
        };
        if (!root.path("encryptedKeyset").isObject()) {
            throw damaged(file, "it has no encryptedKeyset");
        }
        if (!root.path("primaryKeyId").canConvertToLong()) {
            throw damaged(file, "its primaryKeyId is missing");
        }
        return new Header(text(file, root, "fingerprint"), root.path("primaryKeyId").asLong(), s, text(file, master, "check"));
    }

    /** A whole number that fits an int; asInt() would wrap a larger one around into the accepted range. */
    private static int integer(Path file, JsonNode kdf, String field) {
        JsonNode v = kdf.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw damaged(file, "its master.kdf." + field + " is " + (v == null ? "missing" : v.toString()) + ", not a whole number"
                    + " from 1 to " + Integer.MAX_VALUE + " as Argon2id takes it");
        }
        return v.intValue();
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw damaged(file, "the field '" + field + "' is missing");
        }
        return v.asText();
    }

    /** Binds the ciphertext to its purpose and to every header field. */
    private static byte[] associatedData(Header h) {
        StringBuilder ad = new StringBuilder(FORMAT).append('\n').append(PURPOSE).append('\n')
                .append("fingerprint=").append(h.fingerprint()).append('\n')
                .append("primaryKeyId=").append(h.primaryKeyId()).append('\n')
                .append("source=").append(h.source().kind()).append('\n');
        if (h.source() instanceof MasterKeySource.KeyFile f) {
            ad.append("path=").append(f.path()).append('\n');
        } else if (h.source() instanceof MasterKeySource.Environment e) {
            ad.append("variable=").append(e.variable()).append('\n');
        } else if (h.source() instanceof MasterKeySource.Passphrase p) {
            ad.append("variable=").append(p.variable()).append('\n').append("kdf=").append(p.kdf().describe()).append('\n');
        }
        ad.append("check=").append(h.check()).append('\n');
        return ad.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static UpliftException damaged(Path file, String why) {
        return new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file + " is damaged: " + why
                + ". Uplift refuses it; nothing was changed. Restore config/keyset.json from this node's backup ('uplift backup --list'"
                + " names them; each holds config/) or from another copy of this node's config/, never from another installation.");
    }
}
