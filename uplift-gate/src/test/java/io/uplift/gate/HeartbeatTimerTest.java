package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatTimerTest {
    private static final Admission ADMITTED = new Admission("node-1", "3.0", null, false);
    private final List<Admission> admissions = new CopyOnWriteArrayList<>();
    private final List<GateRefusal> refusals = new CopyOnWriteArrayList<>();

    /** Beats that answer, in turn, with the given outcomes: an Admission or a GateRefusal. */
    private HeartbeatTimer.Beats scripted(Object... outcomes) {
        Iterator<Object> next = List.of(outcomes).iterator();
        return new HeartbeatTimer.Beats(() -> {
            Object o = next.next();
            if (o instanceof GateRefusal r) {
                throw r;
            }
            return (Admission) o;
        }, admissions::add, refusals::add);
    }

    private static GateRefusal refusal(GateRefusal.Reason reason) {
        return new GateRefusal(reason, reason.name());
    }

    @Test
    void anUnreachableDatabaseDoesNotStopTheNode() {
        HeartbeatTimer.Beats beats = scripted(refusal(GateRefusal.Reason.DATABASE_UNREACHABLE), refusal(GateRefusal.Reason.DATABASE_UNREACHABLE),
                refusal(GateRefusal.Reason.DATABASE_UNREACHABLE), ADMITTED);
        for (int i = 0; i < 4; i++) {
            beats.once();
        }
        assertThat(refusals).isEmpty();
        assertThat(admissions).containsExactly(ADMITTED);
    }

    @Test
    void aMismatchSeenTwiceInARowIsHandedToTheProduct() {
        HeartbeatTimer.Beats beats = scripted(refusal(GateRefusal.Reason.VERSION_MISMATCH), refusal(GateRefusal.Reason.VERSION_MISMATCH),
                refusal(GateRefusal.Reason.KEYSET_MISMATCH));
        beats.once();
        assertThat(refusals).isEmpty();
        beats.once();
        beats.once();
        assertThat(refusals).extracting(GateRefusal::reason)
                .containsExactly(GateRefusal.Reason.VERSION_MISMATCH, GateRefusal.Reason.KEYSET_MISMATCH);
    }

    @Test
    void aMismatchCaughtHalfWayAndGoneAtTheNextBeatDoesNotStopTheNode() {
        HeartbeatTimer.Beats beats = scripted(refusal(GateRefusal.Reason.KEYSET_MISMATCH), ADMITTED, refusal(GateRefusal.Reason.KEYSET_MISMATCH),
                ADMITTED);
        for (int i = 0; i < 4; i++) {
            beats.once();
        }
        assertThat(refusals).isEmpty();
        assertThat(admissions).hasSize(2);
    }

    @Test
    void aThrowingCallbackDoesNotEndLaterBeats() throws Exception {
        CountDownLatch beats = new CountDownLatch(3);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (HeartbeatTimer timer = HeartbeatTimer.start(() -> new Admission("node-1", "3.0", null, false), Duration.ofMillis(5), a -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
            beats.countDown();
            throw new IllegalStateException("the product's callback failed");
        }, refusals::add)) {
            assertThat(beats.await(10, TimeUnit.SECONDS)).as("three beats despite the throwing callback").isTrue();
        }
        assertThat(threads).first().isEqualTo("uplift-gate-heartbeat daemon");
    }
}
