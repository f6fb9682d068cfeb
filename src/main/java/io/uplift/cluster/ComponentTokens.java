package io.uplift.cluster;

import io.uplift.api.AgentListener;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.keys.tokens.ComponentTokenSwitch;
import io.uplift.keys.tokens.ComponentTokenSwitch.Outcome;
import io.uplift.keys.tokens.ComponentTokenSwitch.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's part in the app tokens of remote components (issue 16, item 6): after this node's
 * upgrade and before its services start, a worker or proxy whose token format the new version
 * deprecates gets a new token in its file; once the services run, the old token is revoked as soon
 * as the product shows the new one used. What happened goes into the order's report, so 'cluster
 * status' and 'uplift nodes' show a node whose component did not switch, with the fix.
 */
final class ComponentTokens {
    /** Long enough for a component to start and call once; the product's own refresh (Lockbox: 10 s) included. */
    static final Duration PATIENCE = Duration.ofSeconds(90);

    private final Installation installation;
    private final ComponentTokenSwitch tokens;
    private final AgentListener listener;

    ComponentTokens(Installation installation, ComponentTokenSwitch tokens, AgentListener listener) {
        this.installation = installation;
        this.tokens = tokens;
        this.listener = listener;
    }

    /** Before the services start at {@code toVersion}; the returned outcome is passed to {@link #afterStart}. */
    Outcome beforeStart(String toVersion) {
        Outcome issued;
        try {
            Optional<String> role = role();
            if (role.isEmpty()) {
                return new Outcome(State.NONE, "");
            }
            issued = tokens.issue(role.get(), Version.parse(toVersion));
        } catch (UpliftException | IllegalStateException e) {
            // The node itself is upgraded; only its component's token is not. That is said with the fix in
            // the order's report rather than failing the whole cluster upgrade: the old token still works.
            issued = new Outcome(State.NOT_SWITCHED, e.getMessage());
        }
        if (issued.state() != State.NONE) {
            listener.event("component token: " + issued.message());
        }
        return issued;
    }

    /** Once the services run: waits for the new token's use and revokes the old one; "" when nothing was switched. */
    String afterStart(Outcome issued) {
        if (issued.state() == State.NONE) {
            return "";
        }
        if (issued.state() == State.NOT_SWITCHED) {
            return " App token NOT switched: " + issued.message();
        }
        Outcome confirmed;
        try {
            confirmed = tokens.confirm(PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return " App token switch interrupted; the next agent on this node finishes it (the old token stays valid until then).";
        } catch (UpliftException e) {
            confirmed = new Outcome(State.NOT_SWITCHED, e.getMessage());
        }
        listener.event("component token: " + confirmed.message());
        return confirmed.state() == State.SWITCHED ? " App token switched: " + confirmed.message()
                : " App token NOT switched: " + confirmed.message();
    }

    /** This node's role as its gate registered it (uplift_nodes); empty before its first start. */
    private Optional<String> role() {
        Optional<String> id = NodeId.read(installation.home());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try (Connection conn = new ProductDatabase(installation).connect();
             PreparedStatement ps = conn.prepareStatement("SELECT role FROM " + NodeRegistry.TABLE + " WHERE node_id = ?")) {
            ps.setString(1, id.get());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read this node's role from " + NodeRegistry.TABLE + ": " + e.getMessage()
                    + "; the component keeps the token it has", e);
        }
    }
}
