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
 * <p>Only a version or keyset mismatch reaches {@code onRefusal}: the node must stop serving. A
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

    static HeartbeatTimer start(Beat beat, Duration every, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(() -> beatOnce(beat, onAdmission, onRefusal), millis, millis, TimeUnit.MILLISECONDS);
        return new HeartbeatTimer(executor);
    }

    static void beatOnce(Beat beat, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        try {
            Admission admission;
            try {
                admission = beat.run();
            } catch (GateRefusal r) {
                if (r.reason() == GateRefusal.Reason.VERSION_MISMATCH || r.reason() == GateRefusal.Reason.KEYSET_MISMATCH) {
                    onRefusal.accept(r);
                } else {
                    LOG.log(Level.WARNING, "node gate heartbeat skipped, the node keeps running: " + r.getMessage());
                }
                return;
            }
            onAdmission.accept(admission);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "node gate heartbeat failed; the next beat tries again", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
