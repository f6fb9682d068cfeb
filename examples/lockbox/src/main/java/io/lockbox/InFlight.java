package io.lockbox;

/** The requests being served, so that a stop lets them finish and turns new ones away. */
final class InFlight {
    private int count;
    private boolean stopping;

    /** @return false once stopping: the request is not served */
    synchronized boolean enter() {
        if (stopping) {
            return false;
        }
        count++;
        return true;
    }

    synchronized void leave() {
        count--;
        notifyAll();
    }

    /** Turns new requests away and waits until those in flight ended, or the time is up. */
    synchronized void drain(long millis) throws InterruptedException {
        stopping = true;
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; count > 0 && left > 0; left = deadline - System.currentTimeMillis()) {
            wait(left);
        }
    }
}
