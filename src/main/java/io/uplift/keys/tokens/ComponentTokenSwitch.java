package io.uplift.keys.tokens;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.TokenFormatHistory;
import io.uplift.catalog.TokenTable;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gives this node's remote component (a worker, a proxy) a new app token when its token's format is
 * deprecated at the version the node now runs, and revokes the old one only once the product shows
 * the new one used. Run by the node's agent, on the node: the token is made here, only its hash goes
 * to the database, the token itself only into the component's file (never into an argument, a log,
 * an order or a report).
 *
 * <pre>
 * issue:   journal (hashes) -> insert the new hash (one transaction) -> write the component's file
 * confirm: wait until the new token's last use shows in the table -> delete the old token -> drop the journal
 * </pre>
 * An agent killed between the insert and the file write left a token nobody holds: the next
 * {@link #issue} deletes that orphan by its hash and issues again. Killed after the file write, it
 * goes on to {@link #confirm}. The old token is never deleted before the new one was seen in use,
 * so the component is never cut off.
 */
public final class ComponentTokenSwitch {
    /** What a step left behind, for the agent's report (no token in it, ever). */
    public record Outcome(State state, String message) {}

    public enum State {
        /** Nothing to do on this node (no component token for its role, or its token is current). */
        NONE,
        /** A new token is in the component's file; {@link #confirm} waits for its use. */
        ISSUED,
        /** The component uses its new token and the old one is revoked. */
        SWITCHED,
        /** The component keeps its old token; the message says why and what fixes it. */
        NOT_SWITCHED
    }

    private static final Duration POLL = Duration.ofMillis(250);

    private final Path home;
    private final Path upliftDir;
    private final Optional<TokenTable> table;
    private final TokenFormatHistory history;
    private final TokenMaker maker;
    private final Supplier<Connection> connections;

    public ComponentTokenSwitch(Installation installation, Catalog catalog) {
        this(installation.home(), installation.upliftDir(), catalog.product().tokens(), new TokenFormatHistory(catalog.releases()),
                new TokenMaker(new SecureRandom()), () -> new ProductDatabase(installation).connect());
    }

    /** @param upliftDir where the switch's journal goes (HOME/.uplift) */
    ComponentTokenSwitch(Path home, Path upliftDir, Optional<TokenTable> table, TokenFormatHistory history, TokenMaker maker,
            Supplier<Connection> connections) {
        this.home = home;
        this.upliftDir = upliftDir;
        this.table = table;
        this.history = history;
        this.maker = maker;
        this.connections = connections;
    }

    /**
     * Before the component starts at {@code target} (or while it runs, when it reads its file again on
     * its own): puts a token of the current format in its file when the one there is deprecated.
     */
    public Outcome issue(String role, Version target) {
        if (table.isEmpty()) {
            return new Outcome(State.NONE, "the product declares no app tokens");
        }
        TokenTable t = table.get();
        Optional<ComponentTokenJournal> begun = ComponentTokenJournal.read(upliftDir);
        if (begun.isPresent()) {
            ComponentTokenJournal j = begun.get();
            ComponentTokenFile file = new ComponentTokenFile(home, j.file());
            if (file.read().map(TokenMaker::sha256Hex).filter(j.newHash()::equals).isPresent()) {
                return new Outcome(State.ISSUED, "the " + j.role() + " component's new " + j.newFormat() + " token was issued already");
            }
            // Killed after the insert and before the file write: nobody holds that token. Revoke it, then issue anew.
            inTransaction(t, "revoke the token issued before the agent stopped", conn -> new TokenRows(t).deleteByHash(conn, j.newHash()));
            ComponentTokenJournal.remove(upliftDir);
        }
        String relative = t.componentFiles().get(role);
        if (relative == null) {
            return new Outcome(State.NONE, "a " + role + " node holds no app token of its own");
        }
        ComponentTokenFile file = new ComponentTokenFile(home, relative);
        Optional<String> held = file.read();
        return inTransaction(t, "issue the " + role + " component's new app token", conn -> {
            TokenRows rows = new TokenRows(t);
            Optional<TokenRows.Row> row = held.isEmpty() ? Optional.empty() : rows.lockByHash(conn, TokenMaker.sha256Hex(held.get()));
            ComponentTokenNeed.Decision d = ComponentTokenNeed.decide(role, t.componentFiles(), row.map(TokenRows.Row::format),
                    history.deprecatedAt(target), history.currentAt(target));
            switch (d.kind()) {
                case NONE -> {
                    return new Outcome(State.NONE, d.reason());
                }
                case CANNOT -> {
                    return new Outcome(State.NOT_SWITCHED, d.reason() + ". Fix: put a valid token of the " + role + " component in "
                            + file.path() + " (mode 0600; 'uplift tokens list --home " + home + "' shows the tokens).");
                }
                default -> {
                    TokenRows.Row old = row.orElseThrow();
                    String token = maker.make(t.formats().get(d.toFormat()));
                    String hash = TokenMaker.sha256Hex(token);
                    new ComponentTokenJournal(old.name(), role, relative, old.hash(), old.format(), hash, d.toFormat())
                            .write(upliftDir);
                    try {
                        rows.insertCopy(conn, old, hash, d.toFormat());
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        conn.rollback();
                        ComponentTokenJournal.remove(upliftDir);
                        return new Outcome(State.NOT_SWITCHED, "'" + old.name() + "' already has a " + d.toFormat() + " token that is not the"
                                + " one in " + file.path() + ". Fix: if nothing uses it, 'uplift tokens revoke " + old.name() + " --format "
                                + d.toFormat() + " --home " + home + "', then run the upgrade order again.");
                    }
                    conn.commit();
                    // Only now: the file never holds a token the database does not know.
                    try {
                        file.write(token);
                    } catch (UpliftException e) {
                        rows.deleteByHash(conn, hash);
                        conn.commit();
                        ComponentTokenJournal.remove(upliftDir);
                        return new Outcome(State.NOT_SWITCHED, e.getMessage() + " The token issued for it was revoked again.");
                    }
                    return new Outcome(State.ISSUED, "the " + role + " component's " + old.format() + " token '" + old.name()
                            + "' was re-issued as " + d.toFormat() + " into " + relative);
                }
            }
        });
    }

    /**
     * After the component was (re)started: waits up to {@code patience} for the product to record a use of
     * the new token, then revokes the old one. Without a sign of use the old token stays valid.
     */
    public Outcome confirm(Duration patience) throws InterruptedException {
        Optional<ComponentTokenJournal> begun = ComponentTokenJournal.read(upliftDir);
        if (begun.isEmpty() || table.isEmpty()) {
            return new Outcome(State.NONE, "no token switch under way");
        }
        TokenTable t = table.get();
        ComponentTokenJournal j = begun.get();
        String lastUsed = t.lastUsedColumn().orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID, t.declaredAt()
                + ": tokens.component-files needs last-used-column, to see the new token used before the old one is revoked."));
        long until = System.nanoTime() + patience.toNanos();
        Optional<Timestamp> used = Optional.empty();
        while (true) {
            used = inTransaction(t, "read when the new token was used", conn -> new TokenRows(t).lastUsed(conn, j.newHash(), lastUsed));
            if (used.isPresent() || System.nanoTime() >= until) {
                break;
            }
            Thread.sleep(POLL.toMillis()); // polling the product's table: it has no notification of a token's use
        }
        if (used.isEmpty()) {
            return new Outcome(State.NOT_SWITCHED, "the " + j.role() + " component has not used its new " + j.newFormat() + " token within "
                    + patience.toSeconds() + " s, so its " + j.oldFormat() + " token '" + j.name() + "' stays valid. Fix: see why in the"
                    + " component's log on " + home + " and restart it; once 'uplift tokens list --home " + home
                    + "' shows the " + j.newFormat() + " token of '" + j.name() + "' used, revoke the old one: 'uplift tokens revoke "
                    + j.name() + " --format " + j.oldFormat() + " --home " + home + "'");
        }
        int revoked = inTransaction(t, "revoke the component's deprecated token", conn -> {
            int n = new TokenRows(t).deleteByHash(conn, j.oldHash());
            conn.commit();
            return n;
        });
        ComponentTokenJournal.remove(upliftDir);
        return new Outcome(State.SWITCHED, "the " + j.role() + " component uses its new " + j.newFormat() + " token '" + j.name()
                + "' (used at " + used.get().toInstant() + "); its " + j.oldFormat() + " token " + (revoked == 1 ? "was revoked"
                : "was gone already"));
    }

    private interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    /** One transaction; the work commits what it keeps, and anything it did not commit is rolled back. */
    private <T> T inTransaction(TokenTable t, String what, Work<T> work) {
        try (Connection conn = connections.get()) {
            new TokenRows(t).checkColumns(conn);
            conn.setAutoCommit(false);
            try {
                T result = work.run(conn);
                if (!conn.getAutoCommit()) {
                    conn.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Could not " + what + ": the database answered " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + "). The component keeps the token it has.", e);
        }
    }
}
