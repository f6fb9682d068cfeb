package io.uplift.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoveResultTest {
    private static MoveResult counting(List<String> counted) {
        return new MoveResult(3, 5, 0, 100, 1000, 1, 0, true, List.of(), counted, Duration.ofSeconds(1));
    }

    @Test
    void aMoveThatReadEveryTableBackSaysSoPlainly() {
        assertThat(counting(List.of()).passed()).isEqualTo(MoveResult.PASSED).contains("every chunk's row count and checksum");
    }

    @Test
    void aMoveThatCountedTablesOnItsOwnServerNamesThemInsteadOfClaimingTheirChecksumWasReadBack() {
        assertThat(counting(List.of("public.events")).passed())
                .startsWith("Validation passed: ")
                .contains("public.events was checked on the new server by counting its rows, their transactions and jsonb hashes, not read back");
        assertThat(counting(List.of("public.a", "public.b")).passed()).contains("public.a, public.b were checked on the new server");
    }
}
