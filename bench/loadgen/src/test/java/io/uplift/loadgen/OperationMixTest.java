package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperationMixTest {

    @Test
    void theWriteShareOfSlotsWritesSecretsMoreOftenThanEvents() {
        OperationMix mix = new OperationMix(0.2);
        Random random = new Random(1);
        Map<Operation, Integer> picks = new EnumMap<>(Operation.class);
        int slots = 100_000;
        for (int i = 0; i < slots; i++) {
            picks.merge(mix.pick(random.nextDouble(), random.nextDouble()), 1, Integer::sum);
        }

        int writes = picks.get(Operation.WRITE_SECRET) + picks.get(Operation.WRITE_EVENT);
        assertThat(writes / (double) slots).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
        assertThat(picks.get(Operation.WRITE_SECRET)).isGreaterThan(picks.get(Operation.WRITE_EVENT));
        assertThat(picks.keySet()).containsAll(java.util.List.of(Operation.values()));
    }

    @Test
    void noWritesAndOnlyWritesAreBothPossible() {
        assertThat(new OperationMix(0).pick(0.0, 0.5).isWrite()).isFalse();
        assertThat(new OperationMix(1).pick(0.999, 0.999).isWrite()).isTrue();
        assertThat(new OperationMix(0.2).pick(0.5, 0.999)).isEqualTo(Operation.HEALTH);
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new OperationMix(1.5)).hasMessageContaining("between 0 and 1");
    }
}
