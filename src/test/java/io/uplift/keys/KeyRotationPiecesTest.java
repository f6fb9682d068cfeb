package io.uplift.keys;

import io.uplift.api.Grace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of key rotation: id ranges, grace durations, ciphertext prefixes, the rotation state file. */
class KeyRotationPiecesTest {
    @Test
    void idRangesCoverTheSpanWithoutGapsOrOverlaps() {
        List<IdSpan.Range> ranges = new IdSpan(1, 1_000_020, false).split(3);
        assertThat(ranges).hasSize(3);
        assertThat(ranges.get(0).from()).isEqualTo(1);
        assertThat(ranges.get(2).to()).isEqualTo(1_000_020);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to() + 1);
        }
        assertThat(new IdSpan(5, 6, false).split(4)).containsExactly(new IdSpan.Range(5, 5), new IdSpan.Range(6, 6));
        assertThat(new IdSpan(7, 7, false).split(4)).containsExactly(new IdSpan.Range(7, 7));
        assertThat(new IdSpan(0, 0, true).split(4)).isEmpty();
        assertThat(new IdSpan(Long.MIN_VALUE + 1, Long.MAX_VALUE, false).split(4)).as("a span wider than a long: one range")
                .containsExactly(new IdSpan.Range(Long.MIN_VALUE + 1, Long.MAX_VALUE));
    }

    @Test
    void graceAcceptsShortAndIsoFormsAndRejectsTheRestNamingTheFlag() {
        assertThat(Grace.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Grace.parse("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(Grace.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(Grace.parse("PT12H")).isEqualTo(Duration.ofHours(12));
        assertThat(Grace.DEFAULT).isEqualTo(Duration.ofDays(7));
        for (String bad : List.of("a week", "-1d", "PT-5M", "7w", "")) {
            assertThatThrownBy(() -> Grace.parse(bad)).isInstanceOf(UpliftException.class).hasMessageContaining("--grace")
                    .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE));
        }
    }

    @Test
    void aCiphertextNamesTheKeyThatMadeIt() throws GeneralSecurityException {
        InstallationKeyset keyset = InstallationKeyset.generate();
        InstallationKeyset next = keyset.withNewPrimary();
        assertThat(CiphertextKeyId.of(keyset.aead().encrypt(new byte[] {1}, new byte[0]))).hasValue(keyset.primaryKeyId());
        assertThat(CiphertextKeyId.of(next.aead().encrypt(new byte[] {1}, new byte[0]))).hasValue(next.primaryKeyId());
        assertThat(CiphertextKeyId.of(new byte[] {0, 1, 2, 3, 4, 5})).isEmpty();
        assertThat(CiphertextKeyId.of(new byte[] {1, 2})).isEmpty();
    }

    @Test
    void disablingAKeyStopsItDecryptingButNeverThePrimary() throws GeneralSecurityException {
        InstallationKeyset keyset = InstallationKeyset.generate();
        byte[] old = keyset.aead().encrypt(new byte[] {9}, new byte[0]);
        InstallationKeyset next = keyset.withNewPrimary();
        assertThat(KeysetEntries.enabledNonPrimary(next)).containsExactly(keyset.primaryKeyId());
        InstallationKeyset retired = next.withDisabled(List.of(keyset.primaryKeyId()));
        assertThat(KeysetEntries.enabledNonPrimary(retired)).isEmpty();
        assertThatThrownBy(() -> retired.aead().decrypt(old, new byte[0])).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> next.withDisabled(List.of(next.primaryKeyId()))).isInstanceOf(UpliftException.class);
    }

    @Test
    void theRotationStateSurvivesAWriteAndKeepsAnEarlierEndOfGrace(@TempDir Path home) throws Exception {
        assertThat(RotationState.read(home)).isEqualTo(RotationState.none());
        RotationState.Rotation r = new RotationState.Rotation(2, 1, "2026-11-23T07:00:00Z", "P7D", "abc");
        RotationState.none().withRotation(r).write(home);
        assertThat(RotationState.read(home).inProgress()).contains(r);
        Instant now = Instant.parse("2026-11-23T08:00:00Z");
        RotationState done = RotationState.read(home).finished(List.of(1L), now, now.plus(Duration.ofDays(7)));
        done.write(home);
        RotationState again = RotationState.read(home).finished(List.of(1L, 3L), now.plusSeconds(60), now.plus(Duration.ofDays(30)));
        assertThat(again.inProgress()).isEmpty();
        assertThat(again.retiring(1).orElseThrow().until()).isEqualTo("2026-11-30T08:00:00Z");
        assertThat(again.retiring(3)).isPresent();
        assertThat(again.withoutRetiring(List.of(1L)).retiring()).extracting(RotationState.Retiring::keyId).containsExactly(3L);
        Files.writeString(RotationState.file(home), "{not json");
        assertThatThrownBy(() -> RotationState.read(home)).isInstanceOf(UpliftException.class).hasMessageContaining(RotationState.FILE);
    }
}
