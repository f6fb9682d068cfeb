package io.uplift.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.AesGcmKey;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The raw AES keys of a keyset, taken out in the test (the product never does), and a search for
 * them in files and text in every form they could be leaked in: raw bytes, hex (either case), and
 * base64 or URL-safe base64 at any of the three alignments within a longer base64 stream.
 */
public final class RawKeys {
    private RawKeys() {}

    public static List<byte[]> of(InstallationKeyset keyset) {
        try {
            Keyset ks = Keyset.parseFrom(TinkProtoKeysetFormat.serializeKeyset(keyset.handle(), InsecureSecretKeyAccess.get()),
                    ExtensionRegistryLite.getEmptyRegistry());
            List<byte[]> keys = new ArrayList<>();
            for (Keyset.Key k : ks.getKeyList()) {
                keys.add(AesGcmKey.parseFrom(k.getKeyData().getValue(), ExtensionRegistryLite.getEmptyRegistry()).getKeyValue().toByteArray());
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException("cannot take the keys out of the keyset: " + e, e);
        }
    }

    /** Every text form of {@code key} to look for (each at least 32 characters, so no match is by chance). */
    static List<byte[]> forms(byte[] key) {
        List<byte[]> forms = new ArrayList<>();
        forms.add(key);
        forms.add(HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
        forms.add(HexFormat.of().withUpperCase().formatHex(key).getBytes(StandardCharsets.US_ASCII));
        for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            for (int shift = 0; shift < 3; shift++) {
                byte[] shifted = new byte[shift + key.length];
                System.arraycopy(key, 0, shifted, shift, key.length);
                String b64 = enc.withoutPadding().encodeToString(shifted);
                // The first characters mix in the zero prefix and the last ones the unknown next byte: keep the middle.
                forms.add(b64.substring(shift == 0 ? 0 : 4, b64.length() - 4).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return forms;
    }

    /** Whether {@code content} holds any of the keys in any form. */
    public static boolean leakedIn(byte[] content, List<byte[]> keys) {
        for (byte[] key : keys) {
            for (byte[] form : forms(key)) {
                if (indexOf(content, form) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The files under {@code roots} that hold any of the keys in any form. */
    public static List<Path> filesLeaking(List<byte[]> keys, Path... roots) {
        List<Path> leaking = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    if (leakedIn(Files.readAllBytes(p), keys)) {
                        leaking.add(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return leaking;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
