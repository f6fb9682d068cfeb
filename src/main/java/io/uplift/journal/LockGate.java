package io.uplift.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * How the lock file is locked, so that looking at the lock ('uplift status', the checks, 'keys
 * rotate' asking before it starts) never makes a changing command fail to get it.
 *
 * <p>Byte 0 of the file is the command lock: a changing command holds it exclusively for its whole
 * run. Byte 1 is a gate, held only for the instant of one test of byte 0:
 * <ul>
 *   <li>a command takes the gate exclusively, tries byte 0, and leaves the gate;</li>
 *   <li>a probe takes the gate shared, tries byte 0 shared, and lets go of both.</li>
 * </ul>
 * So a command's try never meets a probe on byte 0: when it fails, another command holds the
 * installation. Probes share both bytes with each other, so two status runs never see each other as
 * an upgrade. Nobody waits for the gate while holding byte 0, so there is no deadlock; the gate is
 * waited for with a bound, in case its holder was stopped (SIGSTOP) in that instant.
 */
final class LockGate {
    private static final long COMMAND_BYTE = 0;
    private static final long GATE_BYTE = 1;
    /** A probe or a try holds the gate for microseconds; far longer means its holder is stopped. */
    private static final long GATE_WAIT_NANOS = 10_000_000_000L;

    private LockGate() {}

    /** The command lock (byte 0, exclusive), or null when another command holds it. */
    static FileLock tryCommandLock(FileChannel channel) throws IOException {
        FileLock gate = gate(channel, false);
        if (gate == null) {
            return null;
        }
        try {
            return channel.tryLock(COMMAND_BYTE, 1, false);
        } finally {
            gate.release();
        }
    }

    /** Whether a command holds the lock now; takes nothing that a command could find taken, except the gate for an instant. */
    static boolean commandHolds(FileChannel channel) throws IOException {
        FileLock gate = gate(channel, true);
        if (gate == null) {
            return true; // a command is stuck in its try: count it as running
        }
        try {
            FileLock shared = channel.tryLock(COMMAND_BYTE, 1, true);
            if (shared == null) {
                return true;
            }
            shared.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // a command of this very JVM holds it
        } finally {
            gate.release();
        }
    }

    private static FileLock gate(FileChannel channel, boolean shared) throws IOException {
        long deadline = System.nanoTime() + GATE_WAIT_NANOS;
        while (true) {
            try {
                FileLock gate = channel.tryLock(GATE_BYTE, 1, shared);
                if (gate != null) {
                    return gate;
                }
            } catch (OverlappingFileLockException e) {
                // another thread of this JVM is at the gate; it leaves within microseconds too
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
