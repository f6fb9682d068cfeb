package io.uplift.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import org.postgresql.PGConnection;

/**
 * Wakes an agent when the cluster tables change (LISTEN/NOTIFY on {@link ClusterSchema#CHANNEL}), so
 * it reacts in milliseconds rather than at its next poll. Only a wake-up: a notification can be lost
 * (the listening connection drops, the database restarts), so {@link #await} also returns after the
 * poll interval and the agent always reads the tables themselves.
 */
final class WakeUp implements AutoCloseable {
    private final Supplier<Connection> connect;
    private Connection listening;

    WakeUp(Supplier<Connection> connect) {
        this.connect = connect;
    }

    /** Sent inside the writer's transaction: delivered at its commit, dropped with its rollback. */
    static void notifyAll(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("NOTIFY " + ClusterSchema.CHANNEL);
        }
    }

    /** Waits for a notification or {@code poll}, whichever comes first; never throws. */
    void await(Duration poll) throws InterruptedException {
        try {
            if (listening == null) {
                listening = connect.get();
                try (Statement st = listening.createStatement()) {
                    st.execute("LISTEN " + ClusterSchema.CHANNEL);
                }
            }
            listening.unwrap(PGConnection.class).getNotifications((int) Math.max(1, poll.toMillis()));
        } catch (SQLException | RuntimeException e) {
            close();
            Thread.sleep(poll.toMillis()); // the database is away: this is the poll
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public void close() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException e) {
                // A connection that broke is closed already.
            }
            listening = null;
        }
    }
}
