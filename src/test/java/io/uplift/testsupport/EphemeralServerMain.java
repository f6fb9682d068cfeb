package io.uplift.testsupport;

/**
 * Run in a child JVM by PgRuntimeIT: starts an ephemeral server, prints its data folder, and returns
 * normally, so the test can check that the JVM-exit hook stopped the server.
 */
public final class EphemeralServerMain {
    private EphemeralServerMain() {
    }

    public static void main(String[] args) {
        TestPostgres.Server server = TestPostgres.startEphemeral(Integer.parseInt(args[0]));
        System.out.println("DATA_DIR=" + server.server().dataDir());
        System.out.println("RUNNING=" + server.server().isRunning());
        System.out.flush();
    }
}
