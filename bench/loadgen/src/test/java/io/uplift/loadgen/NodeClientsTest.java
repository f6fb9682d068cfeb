package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests of a run over two Lockbox stand-ins: in turn, each outcome and acknowledged write
 * naming its node; and a read-back that passes over a node that no longer answers.
 */
class NodeClientsTest {
    private static final String TOKEN = "lbx-test-token";

    private static NodeClients nodes(FakeLockbox... fakes) {
        List<URI> urls = java.util.Arrays.stream(fakes).map(f -> URI.create("http://127.0.0.1:" + f.port() + "/")).toList();
        return NodeClients.of(urls, TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void requestsGoToTheNodesInTurnAndEachOutcomeAndWriteNamesItsNode() throws Exception {
        try (FakeLockbox a = FakeLockbox.start(TOKEN, "1.0"); FakeLockbox b = FakeLockbox.start(TOKEN, "1.0")) {
            NodeClients nodes = nodes(a, b);
            KnownSecrets known = new KnownSecrets();
            LoadOperations operations = new LoadOperations(nodes, known, Clock.systemUTC(), "test");

            List<Outcome> outcomes = List.of(operations.perform(Operation.WRITE_SECRET), operations.perform(Operation.WRITE_SECRET),
                    operations.perform(Operation.HEALTH), operations.perform(Operation.HEALTH));

            String urlA = "http://127.0.0.1:" + a.port() + "/";
            String urlB = "http://127.0.0.1:" + b.port() + "/";
            assertThat(outcomes).allMatch(Outcome::succeeded);
            assertThat(outcomes).extracting(Outcome::node).containsExactly(urlA, urlB, urlA, urlB);
            assertThat(known.acknowledgedSecrets()).extracting(AcknowledgedSecret::node).containsExactly(urlA, urlB);
            assertThat(nodes.urls()).containsExactly(urlA, urlB);
        }
    }

    @Test
    void aReadBackPassesOverANodeThatDoesNotAnswer() throws Exception {
        try (FakeLockbox live = FakeLockbox.start(TOKEN, "1.0"); FakeLockbox gone = FakeLockbox.start(TOKEN, "1.0")) {
            NodeClients nodes = nodes(live, gone);
            KnownSecrets known = new KnownSecrets();
            LoadOperations operations = new LoadOperations(nodes, known, Clock.systemUTC(), "test");
            assertThat(operations.perform(Operation.WRITE_SECRET).succeeded()).isTrue(); // through the live node
            AcknowledgedSecret written = known.acknowledgedSecrets().get(0);
            gone.stop();

            // Twice: once starting with the node that is gone, once with the live one.
            for (int i = 0; i < 2; i++) {
                assertThat(operations.read(written.id())).isEqualTo(new ReadBack.Found(written.name(), written.value()));
            }
        }
    }
}
