package io.uplift.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The console's one admin password, kept only as an Argon2id hash in HOME/.uplift/console/admin.json
 * (BouncyCastle's Argon2, already a dependency; the JDK has none). The cost follows OWASP's
 * recommendation for Argon2id (19 MiB, 2 passes, 1 lane) and is stored with the hash, so a later
 * release can raise it without invalidating the file.
 */
final class AdminPassword {
    static final int MIN_LENGTH = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    record Stored(String algorithm, int memoryKiB, int iterations, int lanes, String salt, String hash) {}

    private final Stored stored;

    private AdminPassword(Stored stored) {
        this.stored = stored;
    }

    static Path file(Path home) {
        return home.resolve(".uplift").resolve("console").resolve("admin.json");
    }

    static boolean isSet(Path home) {
        return Files.exists(file(home), LinkOption.NOFOLLOW_LINKS);
    }

    static AdminPassword load(Path home) {
        Path f = file(home);
        OwnerOnlyFiles.requireOwnerOnly(f, "The console's password file");
        try {
            Stored s = JSON.readValue(f.toFile(), Stored.class);
            if (!"argon2id".equals(s.algorithm())) {
                throw ConsoleException.home(f + " holds a password hash of algorithm '" + s.algorithm()
                        + "'; only argon2id is accepted: remove the file and set the password again at the next start.");
            }
            return new AdminPassword(s);
        } catch (IOException e) {
            throw ConsoleException.home(f + " cannot be read (" + e.getMessage()
                    + "): remove it and set the admin password again at the next start (--admin-password-file).");
        }
    }

    /** Hashes and stores a new admin password; refuses one shorter than {@link #MIN_LENGTH}. */
    /** @param from where the password came from, for the error ("--admin-password-file F", "the terminal") */
    static AdminPassword set(Path home, char[] password, String from) throws IOException {
        if (password.length < MIN_LENGTH) {
            throw ConsoleException.usage("The admin password from " + from + " has " + password.length + " characters; use at least "
                    + MIN_LENGTH + ". Nothing was started.");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Stored s = new Stored("argon2id", 19 * 1024, 2, 1, Base64.getEncoder().encodeToString(salt), "");
        s = new Stored(s.algorithm(), s.memoryKiB(), s.iterations(), s.lanes(), s.salt(),
                Base64.getEncoder().encodeToString(derive(s, password)));
        OwnerOnlyFiles.write(file(home), JSON.writeValueAsBytes(s));
        return new AdminPassword(s);
    }

    boolean matches(char[] candidate) {
        return MessageDigest.isEqual(derive(stored, candidate), Base64.getDecoder().decode(stored.hash()));
    }

    private static byte[] derive(Stored s, char[] password) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(s.memoryKiB()).withIterations(s.iterations()).withParallelism(s.lanes())
                .withSalt(Base64.getDecoder().decode(s.salt())).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        byte[] out = new byte[32];
        generator.generateBytes(bytes, out);
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }
}
