package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.NodeLocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 16: a keyset header whose Argon2id parameters would exhaust Uplift's 256 MiB heap
 * (or run for hours) is refused before any memory is spent, with exit 12 naming the file and the
 * field; a number too large for an int is not wrapped around into the accepted range.
 */
class Issue13KeysetHeaderTest {
    private static final KeyEnvironment PASSPHRASE = KeyEnvironment.of(Map.of("UPLIFT_KEYSET_PASSPHRASE", "a passphrase of some length"));

    @TempDir
    Path dir;

    private Path sealedWith(String field, String value) throws Exception {
        Path keyset = dir.resolve("home/config/keyset.json");
        KeysetStore.of(keyset).create(MasterKeySource.passphrase(), PASSPHRASE).keyset();
        String text = Files.readString(keyset);
        String edited = text.replaceFirst("\"" + field + "\" : \\d+", "\"" + field + "\" : " + value);
        assertThat(edited).as("the header names " + field).isNotEqualTo(text);
        Files.writeString(keyset, edited);
        return keyset;
    }

    private static void assertRefused(Path keyset, String... messageParts) throws Exception {
        String before = NodeLocalFiles.sha256(keyset).orElseThrow();
        long start = System.nanoTime();
        assertThatThrownBy(() -> KeysetStore.of(keyset).open(PASSPHRASE).keyset()).isInstanceOf(UpliftException.class)
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(keyset.toString()).hasMessageContainingAll(messageParts).hasMessageContaining("estore");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused before any Argon2 work").isLessThan(Duration.ofSeconds(2));
        assertThat(NodeLocalFiles.sha256(keyset)).contains(before);
    }

    @Test
    void issue13_item16_aHeaderAskingArgon2ForFourGibIsRefusedWithTwelveNamingTheFileAndField() throws Exception {
        assertRefused(sealedWith("memoryKib", Integer.toString(4 * 1024 * 1024)), "master.kdf.memoryKib 4194304", "8192..131072",
                "256 MiB");
    }

    @Test
    void issue13_item16_aMemoryTooLargeForAnIntIsRefusedInsteadOfWrappedIntoRange() throws Exception {
        // 2^32 + 65536: read as an int it wraps to 65536, the default, and the file would open as if intact
        assertRefused(sealedWith("memoryKib", Long.toString((1L << 32) + 65536)), "master.kdf.memoryKib is 4295032832",
                "not a whole number");
    }

    @Test
    void issue13_item16_tooManyArgon2PassesAreRefusedNamingTheField() throws Exception {
        assertRefused(sealedWith("iterations", "1000"), "master.kdf.iterations 1000", "1..16");
    }
}
