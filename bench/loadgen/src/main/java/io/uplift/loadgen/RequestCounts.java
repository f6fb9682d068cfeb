package io.uplift.loadgen;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The counters of a run. {@code sent} counts requests that went out; slots skipped because every
 *  worker was busy are counted apart, since no request was made for them. */
public record RequestCounts(long sent, long succeeded, long refusedForMaintenance, long failed, long skippedBusy,
                            Map<Cause, Long> failedByCause, Map<Operation, Long> sentByOperation,
                            Map<Operation, Long> succeededByOperation, long slowestSuccessfulReadMillis) {

    public RequestCounts {
        failedByCause = Map.copyOf(failedByCause);
        sentByOperation = Map.copyOf(sentByOperation);
        succeededByOperation = Map.copyOf(succeededByOperation);
    }

    public static RequestCounts of(List<Outcome> outcomes) {
        long sent = 0;
        long succeeded = 0;
        long maintenance = 0;
        long failed = 0;
        long skipped = 0;
        long slowestRead = 0;
        Map<Cause, Long> byCause = new EnumMap<>(Cause.class);
        Map<Operation, Long> sentByOperation = new EnumMap<>(Operation.class);
        Map<Operation, Long> okByOperation = new EnumMap<>(Operation.class);
        for (Outcome o : outcomes) {
            if (!o.wasSent()) {
                skipped++;
                continue;
            }
            sent++;
            sentByOperation.merge(o.operation(), 1L, Long::sum);
            if (o.succeeded()) {
                succeeded++;
                okByOperation.merge(o.operation(), 1L, Long::sum);
                if (o.operation().isRead()) {
                    slowestRead = Math.max(slowestRead, o.latencyMillis());
                }
            } else if (o.cause() == Cause.MAINTENANCE) {
                maintenance++;
            } else if (o.cause() == Cause.REROUTED) {
                byCause.merge(o.cause(), 1L, Long::sum); // shown with the causes, but not a failure: the next node answered
            } else {
                failed++;
                byCause.merge(o.cause(), 1L, Long::sum);
            }
        }
        return new RequestCounts(sent, succeeded, maintenance, failed, skipped, byCause, sentByOperation,
                okByOperation, slowestRead);
    }
}
