package io.lockbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void tokensHaveTheCatalogsFormats() {
        assertThat(Tokens.newToken(ReleaseFeatures.V1)).matches("lbx1_[0-9a-f]{32}");
        assertThat(Tokens.newToken(ReleaseFeatures.V2)).matches("lbx2_[A-Za-z0-9_-]{43}");
        assertThat(Tokens.newToken(ReleaseFeatures.V2)).isNotEqualTo(Tokens.newToken(ReleaseFeatures.V2));
    }

    @Test
    void theStoredHashIsTheLowerCaseHexSha256OfTheWholeToken() {
        assertThat(Tokens.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
