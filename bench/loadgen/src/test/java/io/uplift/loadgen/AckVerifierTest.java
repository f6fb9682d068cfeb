package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckVerifierTest {
    private final FakeClock clock = new FakeClock(1_000_000);
    private final Sleeper advanceClock = clock::advance;

    private static AcknowledgedSecret secret(long id) {
        return new AcknowledgedSecret(id, "name-" + id, "value-" + id, 0);
    }

    /** A Lockbox stand-in: per id, the answers it gives in turn; the last one repeats. */
    private static final class ScriptedReader implements SecretReader {
        final Map<Long, Deque<ReadBack>> answers = new HashMap<>();
        int reads;

        ScriptedReader answer(long id, ReadBack... readBacks) {
            answers.put(id, new ArrayDeque<>(List.of(readBacks)));
            return this;
        }

        @Override
        public ReadBack read(long id) {
            reads++;
            Deque<ReadBack> queue = answers.get(id);
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    @Test
    void everySecretReadBackEqualPasses() throws InterruptedException {
        ScriptedReader reader = new ScriptedReader()
                .answer(1, new ReadBack.Found("name-1", "value-1"))
                .answer(2, new ReadBack.Found("name-2", "value-2"));

        AckCheckResult result = new AckVerifier(reader, clock, advanceClock, 120_000, 250)
                .verify(List.of(secret(1), secret(2)));

        assertThat(result).isEqualTo(new AckCheckResult(2, 2, 0, 0, 0, List.of(), List.of(), List.of()));
        assertThat(result.passed()).isTrue();
    }

    @Test
    void aMissingSecretAndADifferentOneFailTheCheckAndAreNamed() throws InterruptedException {
        ScriptedReader reader = new ScriptedReader()
                .answer(1, new ReadBack.Found("name-1", "value-1"))
                .answer(2, new ReadBack.Missing())
                .answer(3, new ReadBack.Found("name-3", "another value"))
                .answer(4, new ReadBack.Found("renamed", "value-4"));

        AckCheckResult result = new AckVerifier(reader, clock, advanceClock, 120_000, 250)
                .verify(List.of(secret(1), secret(2), secret(3), secret(4)));

        assertThat(result.acknowledged()).isEqualTo(4);
        assertThat(result.verified()).isEqualTo(1);
        assertThat(result.missing()).isEqualTo(1);
        assertThat(result.different()).isEqualTo(2);
        assertThat(result.missingIds()).containsExactly(2L);
        assertThat(result.differentIds()).containsExactly(3L, 4L);
        assertThat(result.passed()).isFalse();
    }

    @Test
    void whileTheServiceIsStillStartingTheSameIdIsReadAgainUntilItAnswers() throws InterruptedException {
        ScriptedReader reader = new ScriptedReader().answer(7,
                new ReadBack.Unreachable(Cause.CONNECTION_REFUSED),
                new ReadBack.Unreachable(Cause.CONNECTION_REFUSED),
                new ReadBack.Unreachable(Cause.SERVER_ERROR),
                new ReadBack.Found("name-7", "value-7"));

        AckCheckResult result = new AckVerifier(reader, clock, advanceClock, 120_000, 250).verify(List.of(secret(7)));

        assertThat(result.verified()).isEqualTo(1);
        assertThat(reader.reads).isEqualTo(4);
        assertThat(clock.millis()).isEqualTo(1_000_000 + 3 * 250);
    }

    @Test
    void afterTheDeadlineEachRemainingIdIsTriedOnceAndCountsAsNotReadable() throws InterruptedException {
        ScriptedReader reader = new ScriptedReader()
                .answer(1, new ReadBack.Unreachable(Cause.CONNECTION_REFUSED))
                .answer(2, new ReadBack.Unreachable(Cause.CONNECTION_REFUSED))
                .answer(3, new ReadBack.Unreachable(Cause.TIMEOUT));

        AckCheckResult result = new AckVerifier(reader, clock, advanceClock, 10_000, 1_000)
                .verify(List.of(secret(1), secret(2), secret(3)));

        assertThat(result.unreachable()).isEqualTo(3);
        assertThat(result.unreachableIds()).containsExactly(1L, 2L, 3L);
        assertThat(result.passed()).isFalse();
        assertThat(reader.reads).isEqualTo(11 + 1 + 1);
    }

    @Test
    void noAcknowledgedWriteIsATrivialPass() throws InterruptedException {
        AckCheckResult result = new AckVerifier(new ScriptedReader(), clock, advanceClock, 1, 1).verify(List.of());

        assertThat(result.acknowledged()).isZero();
        assertThat(result.passed()).isTrue();
    }

    @Test
    void theIdListsShowOnlyTheFirstFew() {
        AckCheck check = new AckCheck();
        for (long id = 1; id <= 50; id++) {
            check.add(secret(id), new ReadBack.Missing());
        }

        AckCheckResult result = check.result();

        assertThat(result.missing()).isEqualTo(50);
        assertThat(result.missingIds()).hasSize(AckCheck.IDS_SHOWN).startsWith(1L, 2L);
    }
}
