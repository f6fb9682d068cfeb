package io.uplift.console;

import io.uplift.Uplift;
import io.uplift.api.UpliftException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The one job the console runs at a time, on its own thread in the console's process: closing the
 * browser changes nothing, and any session sees the same run. The session that started it holds it;
 * every other session is read-only until it ends. Killing the console kills the job like any
 * interruption: the journal is left, and the reopened console offers Resume or Rollback.
 */
public final class Runs {
    /**
     * @param outcome   how it ended ("" while it runs)
     * @param failed    whether it ended with an error
     */
    /** @param inUpgradeLog whether the home's upgrade log records this job's steps (upgrade, resume, rollback) */
    public record Run(long id, String kind, boolean inUpgradeLog, ConsoleSession holder, Instant startedAt, RunListener listener, Uplift uplift,
            String outcome, boolean failed, boolean cancelRequested) {
        public boolean active() {
            return outcome.isEmpty();
        }

        Run ended(String text, boolean error) {
            return new Run(id, kind, inUpgradeLog, holder, startedAt, listener, uplift, text, error, cancelRequested);
        }

        Run cancelling() {
            return new Run(id, kind, inUpgradeLog, holder, startedAt, listener, uplift, outcome, failed, true);
        }
    }

    private final Supplier<Uplift> facade;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-run");
        t.setDaemon(false);
        return t;
    });
    private Run current;
    private long nextId = 1;

    public Runs(Supplier<Uplift> facade) {
        this.facade = facade;
    }

    public synchronized Optional<Run> current() {
        return Optional.ofNullable(current);
    }

    public synchronized Optional<Run> active() {
        return current().filter(Run::active);
    }

    /**
     * Starts {@code job} for {@code holder}; refused while another job runs in this console.
     *
     */
    public synchronized Run start(ConsoleSession holder, String kind, Job job) {
        return start(holder, kind, false, job);
    }

    /** An upgrade, resume or rollback: the home's upgrade log already records its steps and messages. */
    public synchronized Run startUpgrade(ConsoleSession holder, String kind, Job job) {
        return start(holder, kind, true, job);
    }

    private Run start(ConsoleSession holder, String kind, boolean inUpgradeLog, Job job) {
        if (active().isPresent()) {
            throw ConsoleException.usage("The console already runs " + current.kind() + " for " + current.holder().describe()
                    + ": wait for it to end.");
        }
        Uplift uplift = facade.get();
        RunListener listener = new RunListener();
        Run run = new Run(nextId++, kind, inUpgradeLog, holder, Instant.now(), listener, uplift, "", false, false);
        current = run;
        worker.submit(() -> execute(run, job));
        return run;
    }

    private void execute(Run run, Job job) {
        String outcome;
        boolean failed = false;
        try {
            outcome = job.run(run.uplift(), run.listener());
        } catch (UpliftException e) {
            outcome = e.getMessage();
            failed = true;
        } catch (Exception | Error e) {
            outcome = "Internal error (a bug: please report it with the support bundle): " + e;
            failed = true;
        }
        run.listener().line((failed ? "FAILED: " : "") + outcome);
        synchronized (this) {
            current = current.ended(outcome, failed);
        }
    }

    /** Asks the running job to stop after its current step (upgrade, resume, rollback: at a safe point). */
    public synchronized void pause() {
        active().ifPresent(r -> r.uplift().requestPause());
    }

    /** Marks the running upgrade for cancelling: it pauses at the next safe point, and its job then rolls back. */
    public synchronized void cancel() {
        active().ifPresent(r -> {
            current = r.cancelling();
            r.uplift().requestPause();
        });
    }

    /** Whether Cancel was pressed for the running job (its job then rolls back after the pause). */
    public synchronized boolean cancelRequested() {
        return active().map(Run::cancelRequested).orElse(false);
    }

    /** What decides which buttons a page shows: the upgrade's state and this console's job. */
    public static String key(String upgradeState, Runs runs) {
        return upgradeState + "/" + runs.current().map(r -> r.id() + (r.active() ? "running" : "ended")).orElse("none");
    }

    /** Whether this session may change anything now: not while another session holds a running job. */
    public synchronized Optional<String> readOnlyFor(ConsoleSession session) {
        return active().filter(r -> !r.holder().token().equals(session.token()))
                .map(r -> r.holder().describe() + " holds the console: it runs " + r.kind() + " since "
                        + r.startedAt().toString().substring(11, 19) + " UTC. This page shows its progress; changes wait until it ends.");
    }

    /** On shutdown (Ctrl-C, SIGTERM): the running step finishes, then the job pauses as 'uplift upgrade' does on Ctrl-C. */
    public void shutdown() {
        pause();
        worker.shutdown();
    }

    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        return worker.awaitTermination(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
