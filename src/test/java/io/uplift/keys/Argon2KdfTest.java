package io.uplift.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2KdfTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(UTF_8);

    @Test
    void theDefaultsAreSixtyFourMebibytesThreePassesAndARandomSalt() {
        Argon2Kdf a = Argon2Kdf.newDefault();
        Argon2Kdf b = Argon2Kdf.newDefault();

        assertThat(a.memoryKib()).isEqualTo(65536);
        assertThat(a.iterations()).isEqualTo(3);
        assertThat(a.parallelism()).isEqualTo(1);
        assertThat(a.salt()).hasSize(16).isNotEqualTo(b.salt());
        assertThat(a.problem()).isNull();
    }

    @Test
    void theSamePassphraseAndSaltGiveTheSameKeyAndAnyDifferenceAnother() {
        Argon2Kdf kdf = new Argon2Kdf(8192, 1, 1, SALT);
        String k1 = kdf.derive("passphrase".toCharArray()).check();

        assertThat(kdf.derive("passphrase".toCharArray()).check()).isEqualTo(k1);
        assertThat(kdf.derive("passphrasf".toCharArray()).check()).isNotEqualTo(k1);
        assertThat(new Argon2Kdf(8192, 1, 1, "0123456789abcdeg".getBytes(UTF_8)).derive("passphrase".toCharArray()).check()).isNotEqualTo(k1);
        assertThat(new Argon2Kdf(8192, 2, 1, SALT).derive("passphrase".toCharArray()).check()).isNotEqualTo(k1);
    }

    @Test
    void derivationMatchesTheReferenceImplementation() {
        // The expected value comes from the reference C implementation (Debian's libargon2.so.1,
        // argon2id_hash_raw(t=1, m=8192, p=1, "password", "0123456789abcdef", 32 bytes), called from
        // Python ctypes), not from BouncyCastle: it proves the parameters reach Argon2id as meant.
        Argon2Kdf kdf = new Argon2Kdf(8192, 1, 1, SALT);
        byte[] key = kdf.derive("password".toCharArray()).bytes();
        assertThat(key).hasSize(32);
        assertThat(HexFormat.of().formatHex(key)).isEqualTo(PINNED);
    }

    @Test
    void parametersOutsideTheBoundsAreRefusedBeforeAnyMemoryIsSpent() {
        assertThat(new Argon2Kdf(1024, 3, 1, SALT).problem()).contains("memoryKib 1024");
        assertThat(new Argon2Kdf(64 * 1024 * 1024, 3, 1, SALT).problem()).contains("memoryKib");
        assertThat(new Argon2Kdf(65536, 0, 1, SALT).problem()).contains("iterations 0");
        assertThat(new Argon2Kdf(65536, 3, 1, new byte[4]).problem()).contains("salt has 4 bytes");
    }

    private static final String PINNED = "fc96682477a0c5c8274a4a7217e2a32b5fd51511377b8ad5be879f728e725aa5";
}
