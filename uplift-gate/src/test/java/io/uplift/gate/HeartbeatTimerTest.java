package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatTimerTest {
    private final List<Admission> admissions = new CopyOnWriteArrayList<>();
    private final List<GateRefusal> refusals = new CopyOnWriteArrayList<>();

    @Test
    void anUnreachableDatabaseDoesNotStopTheNode() {
        HeartbeatTimer.beatOnce(() -> {
            throw new GateRefusal(GateRefusal.Reason.DATABASE_UNREACHABLE, "server restarting");
        }, admissions::add, refusals::add);
        assertThat(refusals).isEmpty();
        assertThat(admissions).isEmpty();
    }

    @Test
    void aVersionOrKeysetMismatchIsHandedToTheProduct() {
        HeartbeatTimer.beatOnce(() -> {
            throw new GateRefusal(GateRefusal.Reason.VERSION_MISMATCH, "2.1 vs 3.0");
        }, admissions::add, refusals::add);
        HeartbeatTimer.beatOnce(() -> {
            throw new GateRefusal(GateRefusal.Reason.KEYSET_MISMATCH, "aaa vs bbb");
        }, admissions::add, refusals::add);
        assertThat(refusals).extracting(GateRefusal::reason)
                .containsExactly(GateRefusal.Reason.VERSION_MISMATCH, GateRefusal.Reason.KEYSET_MISMATCH);
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
