package io.uplift.loadgen;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every acknowledged secret back once the load stopped. While the service does not answer
 * (it may still be starting after the upgrade), it retries the same id until one shared deadline;
 * after the deadline each remaining id gets a single try, so a dead service ends the check quickly.
 */
public final class AckVerifier {
    private final SecretReader reader;
    private final Clock clock;
    private final Sleeper sleeper;
    private final long deadlineMillis;
    private final long retryPauseMillis;

    public AckVerifier(SecretReader reader, Clock clock, Sleeper sleeper, long deadlineMillis, long retryPauseMillis) {
        this.reader = reader;
        this.clock = clock;
        this.sleeper = sleeper;
        this.deadlineMillis = deadlineMillis;
        this.retryPauseMillis = retryPauseMillis;
    }

    public AckCheckResult verify(List<AcknowledgedSecret> secrets) throws InterruptedException {
        return verifyByNode(secrets).total();
    }

    /** The same check, also added up per node that acknowledged each write. */
    public AckCheckResults verifyByNode(List<AcknowledgedSecret> secrets) throws InterruptedException {
        long giveUpAt = clock.millis() + deadlineMillis;
        AckCheck total = new AckCheck();
        Map<String, AckCheck> byNode = new LinkedHashMap<>();
        for (AcknowledgedSecret secret : secrets) {
            ReadBack readBack = readUntilAnswered(secret.id(), giveUpAt);
            total.add(secret, readBack);
            if (secret.node() != null) {
                byNode.computeIfAbsent(secret.node(), n -> new AckCheck()).add(secret, readBack);
            }
        }
        Map<String, AckCheckResult> results = new LinkedHashMap<>();
        byNode.forEach((node, check) -> results.put(node, check.result()));
        return new AckCheckResults(total.result(), results);
    }

    private ReadBack readUntilAnswered(long id, long giveUpAt) throws InterruptedException {
        ReadBack readBack = reader.read(id);
        while (readBack instanceof ReadBack.Unreachable && clock.millis() < giveUpAt) {
            sleeper.sleep(retryPauseMillis);
            readBack = reader.read(id);
        }
        return readBack;
    }
}
