package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known SHA-256 test vectors (FIPS 180-2), so every checksum Uplift ever wrote stays the same. */
class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    @TempDir
    Path dir;

    @Test
    void issue14_item4_bytesTextStreamsAndFilesGiveTheSameLowerCaseHex() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("abc");
        Files.write(file, abc);

        assertThat(Sha256.hex(abc)).isEqualTo(ABC);
        assertThat(Sha256.hex("abc")).isEqualTo(ABC);
        assertThat(Sha256.hex(new ByteArrayInputStream(abc))).isEqualTo(ABC);
        assertThat(Sha256.hex(file)).isEqualTo(ABC);
        assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY);
    }

    @Test
    void issue14_item4_aFileLargerThanTheBufferIsHashedWhole() throws Exception {
        byte[] millionA = new byte[1_000_000];
        Arrays.fill(millionA, (byte) 'a');
        Path file = dir.resolve("a");
        Files.write(file, millionA);

        assertThat(Sha256.hex(file)).isEqualTo(MILLION_A);
        assertThat(Sha256.hex(millionA)).isEqualTo(MILLION_A);
    }

    @Test
    void issue14_item4_finishGivesTheHexOfADigestFedInParts() {
        MessageDigest digest = Sha256.newDigest();
        digest.update("a".getBytes(StandardCharsets.US_ASCII));
        digest.update("bc".getBytes(StandardCharsets.US_ASCII));

        assertThat(Sha256.finish(digest)).isEqualTo(ABC);
    }

    @Test
    void issue14_item4_textIsHashedAsUtf8() {
        assertThat(Sha256.hex("é")).isEqualTo(Sha256.hex(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void issue14_item4_aLinkIsRefusedWhenTheCallerSaysNoFollow() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "abc");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThat(Sha256.hex(link)).isEqualTo(ABC);
        assertThatThrownBy(() -> Sha256.hex(link, LinkOption.NOFOLLOW_LINKS)).isInstanceOf(IOException.class);
    }
}
