package io.uplift.loadgen;

/** Waits; injected so the tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(long millis) throws InterruptedException;

    Sleeper REAL = Thread::sleep;
}
