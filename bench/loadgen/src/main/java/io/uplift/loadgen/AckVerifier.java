package io.uplift.loadgen;

import java.time.Clock;
import java.util.List;

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
        long giveUpAt = clock.millis() + deadlineMillis;
        AckCheck check = new AckCheck();
        for (AcknowledgedSecret secret : secrets) {
            check.add(secret, readUntilAnswered(secret.id(), giveUpAt));
        }
        return check.result();
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
