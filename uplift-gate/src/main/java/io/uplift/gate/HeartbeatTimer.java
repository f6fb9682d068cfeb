package io.uplift.gate;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Calls the gate's heartbeat on one daemon thread ("uplift-gate-heartbeat") until closed.
 *
 * <p>Only a version or keyset mismatch reaches {@code onRefusal}: the node must stop serving. It
 * reaches it when two beats in a row see it, so that a change caught half-way does not stop a node
 * for nothing: 'uplift keys rotate' on this node writes the new keyset file, then records its
 * fingerprint in the database a moment later, and a beat in between would see them differ. A
 * database that cannot be reached is not a reason to stop: during an upgrade the server restarts
 * (or moves to a new one), and the node must ride that out; the gate logs it and tries again at the
 * next beat. Any other exception (a callback that throws, say) is logged too, because an exception
 * escaping a scheduled task would silently end every later beat.
 */
final class HeartbeatTimer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeGate.class.getName());
    static final String THREAD_NAME = "uplift-gate-heartbeat";

    /** One beat: the gate's heartbeat, as a function so that tests can script it. */
    interface Beat {
        Admission run() throws GateRefusal;
    }

    private final ScheduledExecutorService executor;

    private HeartbeatTimer(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** What one beat does with its outcome; keeps the previous beat's mismatch (one thread only calls it). */
    static final class Beats {
        private final Beat beat;
        private final Consumer<Admission> onAdmission;
        private final Consumer<GateRefusal> onRefusal;
        private boolean mismatchBefore;

        Beats(Beat beat, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
            this.beat = beat;
            this.onAdmission = onAdmission;
            this.onRefusal = onRefusal;
        }

        void once() {
            try {
                Admission admission;
                try {
                    admission = beat.run();
                } catch (GateRefusal r) {
                    if (r.reason() == GateRefusal.Reason.VERSION_MISMATCH || r.reason() == GateRefusal.Reason.KEYSET_MISMATCH) {
                        mismatch(r);
                    } else {
                        LOG.log(Level.WARNING, "node gate heartbeat skipped, the node keeps running: " + r.getMessage());
                    }
                    return;
                }
                mismatchBefore = false;
                onAdmission.accept(admission);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "node gate heartbeat failed; the next beat tries again", e);
            }
        }

        private void mismatch(GateRefusal r) {
            if (mismatchBefore) {
                onRefusal.accept(r);
            } else {
                mismatchBefore = true;
                LOG.log(Level.WARNING, "node gate heartbeat saw a mismatch; the next beat decides: " + r.getMessage());
            }
        }
    }

    static HeartbeatTimer start(Beat beat, Duration every, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        Beats beats = new Beats(beat, onAdmission, onRefusal);
        executor.scheduleWithFixedDelay(beats::once, millis, millis, TimeUnit.MILLISECONDS);
        return new HeartbeatTimer(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
