package io.uplift.cluster;

import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An agent's side of {@link DatabaseRelocation}: when the database it is connected to says the cluster
 * moved, it points this node's config/database.properties at the new server (host, port and database;
 * its own user and password stay) and the agent reconnects there, where it finds its orders.
 *
 * <p>Journaled by the files themselves, so a kill at any instant is harmless: the settings as they were
 * are kept first in .uplift/relocation/database-before-upgrade-N.properties (written once: the first copy
 * is the original, and an undo needs it), then the settings file is replaced atomically. An agent that
 * starts again reads either the old file (and sees the marker again) or the new one (and is there).
 *
 * <p>Before it writes anything it logs in to the new server with this node's own credentials: a node
 * that cannot (a loopback address of another machine, a refused login) keeps its settings as they were,
 * says why and what fixes it, and tries again each round, so the fix needs no restart.
 */
final class RelocationFollower {
    /** The folder under .uplift/ that keeps each node's settings from before a move. */
    static final String KEPT = "relocation";

    /** What one look at the marker decided. */
    enum Outcome {
        /** No marker: the cluster is in this database. */
        HERE,
        /** The settings point at the new server now: reconnect. */
        RECONNECT,
        /** The node cannot follow yet; the reason was said and kept in the agent's status. */
        WAITING
    }

    private final Installation installation;
    private final String nodeId;
    private final Consumer<String> listener;
    private String lastSaid = "";

    /** @param listener told what the follower found, once per change (a waiting agent looks every round) */
    RelocationFollower(Installation installation, String nodeId, Consumer<String> listener) {
        this.installation = installation;
        this.nodeId = nodeId;
        this.listener = listener;
    }

    private void say(String text) {
        if (!text.equals(lastSaid)) {
            lastSaid = text;
            listener.accept(text);
        }
    }

    Outcome follow(Connection current) throws SQLException {
        Optional<DatabaseRelocation.Move> marker = DatabaseRelocation.movedTo(current);
        if (marker.isEmpty()) {
            return Outcome.HERE;
        }
        DatabaseRelocation.Move to = marker.get();
        DatabaseSettings mine = installation.databaseSettings();
        if (pointsAt(mine, to)) {
            return Outcome.RECONNECT;
        }
        if (to.byNode().equals(nodeId)) {
            // This node's own move step points its settings at the new server (and its undo points them back).
            say("the database moved to " + to.where() + "; waiting for this node's upgrade to point " + DatabaseSettings.FILE + " there");
            return Outcome.WAITING;
        }
        Optional<String> refusal = reachRefusal(mine, to);
        if (refusal.isPresent()) {
            say("cannot follow the cluster's database to " + to.where() + " (upgrade " + to.upgradeId() + "): " + refusal.get());
            return Outcome.WAITING;
        }
        repoint(mine, to);
        say("the cluster's database moved to " + to.where() + " at upgrade " + to.upgradeId() + ": " + installation.home().resolve(
                DatabaseSettings.FILE) + " points there now (the settings before are kept in " + kept(to) + ")");
        return Outcome.RECONNECT;
    }

    /**
     * Called when this node's database cannot be reached: whether that is because the move this node
     * followed was undone (the primary's rollback stops and deletes the new server). It is when the
     * database it left answers and no longer says the cluster moved to where this node points; then
     * the settings kept from before the move are put back, and the agent reconnects there.
     */
    boolean followBack() {
        Path dir = installation.upliftDir().resolve(KEPT);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        DatabaseSettings mine = installation.databaseSettings();
        List<Path> kept;
        try (Stream<Path> files = Files.list(dir)) {
            kept = files.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return false;
        }
        for (Path file : kept) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                DatabaseSettings before = DatabaseRelocation.parse(bytes);
                if (DatabaseRelocation.sameServer(before, mine)) {
                    continue;
                }
                try (Connection c = Jdbc.connect(before.url(), before.user(), before.password())) {
                    Optional<DatabaseRelocation.Move> marker = DatabaseRelocation.movedTo(c);
                    if (marker.isPresent() && pointsAt(mine, marker.get())) {
                        return false; // the move stands: the new server is only away for now
                    }
                }
                DurableFiles.replaceKeepingOwner(installation.home().resolve(DatabaseSettings.FILE), bytes);
                Files.delete(file);
                say("the move of the cluster's database was undone: " + DatabaseSettings.FILE + " points at "
                        + DatabaseRelocation.host(before) + ":" + DatabaseRelocation.port(before) + "/" + DatabaseRelocation.database(before)
                        + " again (put back from " + file + ")");
                return true;
            } catch (IOException | SQLException | RuntimeException e) {
                // That database cannot tell either: the next kept file, or the usual backoff.
            }
        }
        return false;
    }

    private Optional<String> reachRefusal(DatabaseSettings mine, DatabaseRelocation.Move to) {
        if (loopback(to.host()) && !to.machine().equals(ClusterAgent.host())) {
            return Optional.of("the new server listens on " + to.host() + " of " + to.machine() + ", which this machine (" + ClusterAgent.host()
                    + ") cannot reach. Make that server listen on an address this node reaches (postgresql.conf listen_addresses,"
                    + " pg_hba.conf), point url= in " + installation.home().resolve(DatabaseSettings.FILE) + " at it, and restart this agent");
        }
        DatabaseSettings next = settingsAt(mine, to);
        try (Connection c = Jdbc.connect(next.url(), next.user(), next.password())) {
            return Optional.empty();
        } catch (UpliftException | SQLException e) {
            return Optional.of("logging in there as " + mine.user() + " failed (" + e.getMessage() + "). Give that user a login on the new"
                    + " server (CREATE ROLE " + mine.user() + " LOGIN PASSWORD ..., with the rights it has on the old one) or make this node"
                    + " use the primary's user; " + DatabaseSettings.FILE + " was left as it was and the agent tries again each round");
        }
    }

    private void repoint(DatabaseSettings mine, DatabaseRelocation.Move to) {
        Path settings = installation.home().resolve(DatabaseSettings.FILE);
        Path keep = kept(to);
        try {
            if (!Files.exists(keep)) {
                DurableFiles.write(keep, Files.readAllBytes(settings)); // mode 600: it holds the password
            }
            DurableFiles.replaceKeepingOwner(settings, settingsAt(mine, to).toBytes());
        } catch (IOException e) {
            throw new UpliftException(io.uplift.api.ErrorCode.INSTALLATION_INVALID, "Pointing " + settings + " at " + to.where()
                    + " failed: " + e.getMessage() + ". Free the disk or fix the folder's rights; the agent tries again each round.", e);
        }
    }

    private Path kept(DatabaseRelocation.Move to) {
        return installation.upliftDir().resolve(KEPT).resolve("database-before-upgrade-" + to.upgradeId() + ".properties");
    }

    /** This node's settings with the new server and database; anything after '?' in its URL (TLS, timeouts) is kept. */
    static DatabaseSettings settingsAt(DatabaseSettings mine, DatabaseRelocation.Move to) {
        int q = mine.url().indexOf('?');
        String options = q < 0 ? "" : mine.url().substring(q);
        String host = to.host().contains(":") ? "[" + to.host() + "]" : to.host();
        return new DatabaseSettings("jdbc:postgresql://" + host + ":" + to.port() + "/" + to.database() + options, mine.user(), mine.password());
    }

    static boolean pointsAt(DatabaseSettings mine, DatabaseRelocation.Move to) {
        return DatabaseRelocation.host(mine).equals(to.host()) && DatabaseRelocation.port(mine) == to.port()
                && DatabaseRelocation.database(mine).equals(to.database());
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
