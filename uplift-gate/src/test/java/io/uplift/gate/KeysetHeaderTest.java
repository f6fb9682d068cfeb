package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysetHeaderTest {
    private static final String FP = "3f1c0b9e27aa" + "0".repeat(52);
    private static final String OTHER = "9d02e4c1b7f5" + "1".repeat(52);

    @Test
    void readsTheTopLevelFingerprintOfAnEnvelope() {
        String envelope = "{\n  \"format\" : \"uplift-keyset/1\",\n  \"purpose\" : \"uplift installation keyset\",\n"
                + "  \"fingerprint\" : \"" + FP + "\",\n  \"primaryKeyId\" : 123456789,\n"
                + "  \"master\" : { \"source\" : \"key-file\", \"path\" : \"/etc/uplift/master.key\", \"check\" : \"0011223344556677\" },\n"
                + "  \"encryptedKeyset\" : { \"encryptedKeyset\" : \"AAAA==\", \"keysetInfo\" : { \"keyInfo\" : [ { \"keyId\" : 1 } ] } }\n}\n";
        assertThat(KeysetHeader.fingerprint(envelope)).contains(FP);
    }

    @Test
    void ignoresAFingerprintFieldNestedInsideAnotherValue() {
        String json = "{\"master\":{\"fingerprint\":\"" + OTHER + "\"},\"list\":[{\"fingerprint\":\"" + OTHER + "\"}],\"fingerprint\":\"" + FP + "\"}";
        assertThat(KeysetHeader.fingerprint(json)).contains(FP);
    }

    @Test
    void ignoresAFingerprintLookalikeInsideAStringValue() {
        String json = "{\"purpose\":\"a \\\"fingerprint\\\":\\\"" + OTHER + "\\\" { [ trick\",\"fingerprint\":\"" + FP + "\"}";
        assertThat(KeysetHeader.fingerprint(json)).contains(FP);
    }

    @Test
    void aLegacyKeysetInClearHasNoFingerprint() {
        String tink = "{\"primaryKeyId\":1851420307,\"key\":[{\"keyData\":{\"typeUrl\":\"type.googleapis.com/google.crypto.tink.AesGcmKey\","
                + "\"value\":\"GiBx\",\"keyMaterialType\":\"SYMMETRIC\"},\"status\":\"ENABLED\",\"keyId\":1851420307,"
                + "\"outputPrefixType\":\"TINK\"}]}";
        assertThat(KeysetHeader.fingerprint(tink)).isEmpty();
        assertThat(KeysetHeader.fingerprint("{}")).isEmpty();
    }

    @Test
    void decodesEscapesInTheFieldName() {
        assertThat(KeysetHeader.fingerprint("{\"finger\\u0070rint\":\"" + FP + "\", \"n\": -1.5e3, \"t\": true, \"z\": null}")).contains(FP);
    }

    @Test
    void refusesATruncatedFile() {
        String json = "{\"format\":\"uplift-keyset/1\",\"fingerprint\":\"" + FP + "\",\"master\":{\"source\":\"key";
        assertThatThrownBy(() -> KeysetHeader.fingerprint(json)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends early");
    }

    @Test
    void refusesAFingerprintThatIsNotSixtyFourHexDigits() {
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"fingerprint\":\"abc\"}")).hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"fingerprint\":42}")).hasMessageContaining("not a string");
    }

    @Test
    void refusesTwoFingerprints() {
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"fingerprint\":\"" + FP + "\",\"fingerprint\":\"" + OTHER + "\"}"))
                .hasMessageContaining("twice");
    }

    @Test
    void refusesWhatIsNotOneObject() {
        assertThatThrownBy(() -> KeysetHeader.fingerprint("[\"fingerprint\"]")).hasMessageContaining("expected '{'");
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"a\":1} {}")).hasMessageContaining("text after the object");
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"a\":[1}}")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> KeysetHeader.fingerprint("{\"a\":nope}")).hasMessageContaining("unexpected value 'nope'");
        assertThatThrownBy(() -> KeysetHeader.fingerprint("")).hasMessageContaining("ends early");
    }
}
