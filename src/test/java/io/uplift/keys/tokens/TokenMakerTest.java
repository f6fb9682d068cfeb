package io.uplift.keys.tokens;

import io.uplift.api.ReissuedToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.TokenTable.TokenFormat;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenMakerTest {
    private final TokenMaker maker = new TokenMaker(new SecureRandom());

    @Test
    void aHexTokenIsThePrefixAndTwoDigitsPerRandomByte() {
        String token = maker.make(new TokenFormat("lbx1_", 16, "hex"));
        assertThat(token).matches("lbx1_[0-9a-f]{32}");
    }

    @Test
    void aBase64urlTokenHasNoPaddingAndOnlyUrlSafeCharacters() {
        String token = maker.make(new TokenFormat("lbx2_", 32, "base64url"));
        assertThat(token).matches("lbx2_[A-Za-z0-9_-]{43}");
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(maker.make(new TokenFormat("", 16, "hex")))).isTrue();
        }
    }

    @Test
    void theHashIsSha256OfTheUtf8BytesInLowerCaseHex() {
        assertThat(TokenMaker.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aReissuedTokenNeverShowsItselfInToString() {
        ReissuedToken t = new ReissuedToken("ci", "v2", "lbx2_secret", "d", "s", java.util.List.of("v1"));
        assertThat(t.toString()).doesNotContain("lbx2_secret");
    }
}
