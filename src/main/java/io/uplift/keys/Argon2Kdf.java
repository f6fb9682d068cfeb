package io.uplift.keys;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106), which turns a passphrase into a master key. Memory-hard: each guess of a
 * stolen keyset's passphrase costs {@code memoryKib} of memory and {@code iterations} passes over
 * it. The parameters and the salt are not secret; they are stored in the keyset file's header.
 *
 * <p>Default: 64 MiB, 3 passes, 1 lane, 16-byte random salt: 1.3 s for the first derivation in a
 * fresh JVM on the test machine, 0.3 s warmed up. This is RFC 9106's second recommended option
 * (64 MiB, t = 3) with one lane, since Uplift derives the key once per command.
 */
public record Argon2Kdf(int memoryKib, int iterations, int parallelism, byte[] salt) {
    static final int DEFAULT_MEMORY_KIB = 64 * 1024;
    static final int DEFAULT_ITERATIONS = 3;
    static final int DEFAULT_PARALLELISM = 1;
    static final int SALT_BYTES = 16;
    /**
     * Bounds a header is checked against before any memory is spent: a forged header must not exhaust
     * the machine. Uplift runs with a 256 MiB heap (the 'uplift' script's -Xmx256m); Argon2 holds all
     * of memoryKib at once, so 128 MiB (twice the default) is the most that leaves room for the rest
     * of a command (JDBC, the keyset, a backup's buffers); 256 MiB runs out of memory under -Xmx256m
     * (measured). 16 passes over 128 MiB took 5 to 6.5 s on the test machine, the longest wait a header can ask for.
     */
    static final int MIN_MEMORY_KIB = 8 * 1024;
    static final int MAX_MEMORY_KIB = 128 * 1024;
    static final int MAX_ITERATIONS = 16;
    static final int MAX_PARALLELISM = 16;

    public Argon2Kdf {
        salt = salt.clone();
    }

    static Argon2Kdf newDefault() {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return new Argon2Kdf(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, salt);
    }

    /** Why these parameters are refused, or null when they are acceptable. */
    String problem() {
        if (memoryKib < MIN_MEMORY_KIB || memoryKib > MAX_MEMORY_KIB) {
            return "master.kdf.memoryKib " + memoryKib + " is outside " + MIN_MEMORY_KIB + ".." + MAX_MEMORY_KIB
                    + " (8 to 128 MiB; Uplift's heap is 256 MiB)";
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return "master.kdf.iterations " + iterations + " is outside 1.." + MAX_ITERATIONS;
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return "master.kdf.parallelism " + parallelism + " is outside 1.." + MAX_PARALLELISM;
        }
        if (salt.length < SALT_BYTES) {
            return "the salt has " + salt.length + " bytes, fewer than " + SALT_BYTES;
        }
        return null;
    }

    /** The 32-byte master key for {@code passphrase} (UTF-8). */
    MasterKey derive(char[] passphrase) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] password = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        byte[] out = new byte[MasterKey.BYTES];
        try {
            generator.generateBytes(password, out);
            return MasterKey.of(out);
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(out, (byte) 0);
        }
    }

    /** The parameters as the header records them, for the associated data. */
    String describe() {
        return "argon2id v19 m=" + memoryKib + " t=" + iterations + " p=" + parallelism + " salt=" + Base64.getEncoder().encodeToString(salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2Kdf k && k.memoryKib == memoryKib && k.iterations == iterations && k.parallelism == parallelism
                && Arrays.equals(k.salt, salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt) * 31 + memoryKib;
    }

    @Override
    public String toString() {
        return describe();
    }
}
