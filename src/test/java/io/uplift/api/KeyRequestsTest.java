package io.uplift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyRequestsTest {
    @Test
    void aRotationRequestFromTheCommandLineTakesTheDefaultsWhenNoFlagIsGiven() {
        KeyRotationRequest r = KeyRotationRequest.of(null, null);

        assertThat(r.grace()).isEmpty();
        assertThat(r.threads()).isBetween(2, 4).isEqualTo(KeyRotationRequest.defaultThreads());
        assertThat(r.batchRows()).isEqualTo(KeyRotationRequest.DEFAULT_BATCH_ROWS);
        assertThat(KeyRotationRequest.of("36h", 8).grace()).contains(Duration.ofHours(36));
    }

    @Test
    void aBadGraceOrThreadCountIsRefusedNamingItsFlag() {
        assertThatThrownBy(() -> KeyRotationRequest.of("soon", 2)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("--grace 'soon' is not a duration")
                .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE);
        assertThatThrownBy(() -> KeyRotationRequest.of(null, 65)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("--threads 65 is outside the allowed range 1..64");
        assertThatThrownBy(() -> KeyRotationRequest.of("7d", 0)).hasMessageContaining("--threads 0");
        assertThatThrownBy(() -> new KeyRotationRequest(Optional.of(Duration.ofDays(4000)), 2, 10)).hasMessageContaining("--grace");
        // The grace is checked first, as the command line reads it first.
        assertThatThrownBy(() -> KeyRotationRequest.of("soon", 0)).hasMessageContaining("--grace");
    }

    @Test
    void aMasterKeyTargetDescribesItselfWithoutAnySecret() {
        assertThat(new MasterKeyTarget.KeyFile(Path.of("/etc/uplift/master.key")).describe()).isEqualTo("the key file /etc/uplift/master.key");
        assertThat(new MasterKeyTarget.Environment("UPLIFT_MASTER_KEY").describe()).isEqualTo("the environment variable UPLIFT_MASTER_KEY");
        assertThat(MasterKeyTarget.passphrase().describe())
                .isEqualTo("the passphrase ($UPLIFT_KEYSET_PASSPHRASE, or asked on the terminal)");
        assertThatThrownBy(() -> new MasterKeyTarget.Environment(" ")).hasMessageContaining("--key-env");
    }

    @Test
    void aRevokeRequestNeedsANameAndANonEmptyFormat() {
        assertThat(new TokenRevokeRequest("ci", Optional.empty(), false).format()).isEmpty();
        assertThatThrownBy(() -> new TokenRevokeRequest(" ", Optional.empty(), false)).hasMessageContaining("NAME");
        assertThatThrownBy(() -> new TokenRevokeRequest("ci", Optional.of(""), true)).hasMessageContaining("--format");
    }
}
