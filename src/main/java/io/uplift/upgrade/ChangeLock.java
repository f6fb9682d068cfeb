package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The home lock for a command that changes the installation outside an upgrade ('tasks run',
 * 'tasks done', 'cleanup', 'keys protect'): refused while another command holds the lock, and while
 * an upgrade's journal exists, because that upgrade's resume or rollback relies on the installation
 * as the upgrade left it (the old server a move stopped, the recorded state, the keyset).
 */
public final class ChangeLock {
    private ChangeLock() {}

    /** Takes the home lock for {@code command}, or fails with LOCKED: another command runs, or an upgrade is unfinished. */
    public static HomeLock take(Installation inst, String command) {
        refuseUnfinishedUpgrade(inst, command); // before the lock file is written to: a refusal changes nothing
        HomeLock lock = HomeLock.acquire(inst.lockFile(), command);
        try {
            refuseUnfinishedUpgrade(inst, command); // again: an upgrade may have started and stopped meanwhile
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Fails with LOCKED, naming the upgrade and what to do, when an upgrade is under way or was interrupted. */
    public static void refuseUnfinishedUpgrade(Installation inst, String command) {
        if (!Files.exists(inst.journalFile())) {
            return;
        }
        String which;
        try {
            which = Journal.open(inst.journalFile(), Clock.systemUTC()).map(j -> "The upgrade " + j.get().from() + " -> " + j.get().target()
                    + " (" + j.get().state().name().toLowerCase(Locale.ROOT) + ")").orElse("An upgrade");
        } catch (UpliftException e) {
            which = "An upgrade (its journal cannot be read)";
        }
        throw new UpliftException(ErrorCode.LOCKED, which + " is under way or was interrupted (journal " + inst.journalFile() + "), and '"
                + command + "' refuses to run beside it: resume and rollback rely on the installation as the upgrade left it."
                + " Finish the upgrade with 'uplift resume' or undo it with 'uplift rollback', then run '" + command
                + "' again. Nothing was changed.");
    }

    /** Refuses, before any question is asked, what {@link #take} would refuse; takes nothing. */
    public static void check(Installation inst, String command) {
        Optional<String> holder = HomeLock.holder(inst.lockFile());
        if (holder.isPresent()) {
            throw new UpliftException(ErrorCode.LOCKED, "Another Uplift command is working on this installation: " + holder.get()
                    + ". Wait for it to finish ('" + command + "' refuses to run beside it); the lock frees itself if that process dies.");
        }
        refuseUnfinishedUpgrade(inst, command);
    }
}
