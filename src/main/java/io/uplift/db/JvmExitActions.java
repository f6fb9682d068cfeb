package io.uplift.db;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Things to do when the JVM exits normally or on a signal (not on SIGKILL), run last-registered
 * first from a single shutdown hook. One hook instead of one per action because the JVM runs hooks
 * concurrently in no fixed order: a test that registers "delete the base folder" before starting
 * servers in it needs the servers stopped first, which LIFO order gives.
 *
 * <p>This is the one piece of static mutable state in Uplift: a shutdown hook is per JVM by nature.
 */
public final class JvmExitActions {
    private static final Deque<Action> ACTIONS = new ArrayDeque<>();
    private static boolean hookInstalled;

    private record Action(String description, Runnable body) {
    }

    private JvmExitActions() {
    }

    /** Runs {@code action} at JVM exit, before every action registered earlier. */
    public static synchronized void register(String description, Runnable action) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(JvmExitActions::runAll, "uplift-exit-actions"));
            hookInstalled = true;
        }
        ACTIONS.push(new Action(description, action));
    }

    private static void runAll() {
        while (true) {
            Action next;
            synchronized (JvmExitActions.class) {
                next = ACTIONS.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.body().run();
            } catch (RuntimeException | Error e) {
                // Keep going: one failed cleanup must not leave the later ones (other servers) undone.
                System.err.println("uplift: at exit, could not " + next.description() + ": " + e.getMessage());
            }
        }
    }
}
