package io.uplift.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one operation of the mix against Lockbox and says how it ended, checking each answer against
 * the API contract (a 2xx with the wrong body is a failure too). Also reads secrets back for the
 * acknowledged-write check. Each operation goes to the next node in turn; a secret written through one
 * node may be read through another, as they share one database.
 */
public final class LoadOperations implements SecretReader {
    private static final int LIST_LIMIT = 20;

    private final NodeClients nodes;
    private final KnownSecrets known;
    private final Clock clock;
    private final String runTag;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong sequence = new AtomicLong();
    /** Where a request one node refused is recorded before it goes to the next (--balance); null: no balancing. */
    private final Consumer<Outcome> rerouted;

    /** @param runTag makes this run's secret names unique across runs against the same database */
    public LoadOperations(NodeClients nodes, KnownSecrets known, Clock clock, String runTag) {
        this(nodes, known, clock, runTag, null);
    }

    /** @param rerouted with --balance, records each refusal that sent a request on to the next node; null without */
    public LoadOperations(NodeClients nodes, KnownSecrets known, Clock clock, String runTag, Consumer<Outcome> rerouted) {
        this.nodes = nodes;
        this.known = known;
        this.clock = clock;
        this.runTag = runTag;
        this.rerouted = rerouted;
    }

    /**
     * Sends the operation to the node whose turn it is; with --balance, a node that refused it before
     * acting on it is passed over for the next, as a health-checking load balancer does, and the
     * outcome is the last node's answer.
     */
    public Outcome perform(Operation operation) {
        if (rerouted == null) {
            return performOn(nodes.next(), operation);
        }
        List<NodeClients.Node> order = nodes.inTurn();
        for (int i = 0; ; i++) {
            Outcome outcome = performOn(order.get(i), operation);
            if (i == order.size() - 1 || !refusedBeforeActing(outcome)) {
                return outcome;
            }
            rerouted.accept(new Outcome(outcome.operation(), outcome.sentAt(), outcome.doneAt(), Cause.REROUTED, null, outcome.node()));
        }
    }

    /**
     * A request the node surely did not act on, so sending it elsewhere cannot do it twice: it could not
     * connect, or the node answered 503 (Lockbox refuses with 503 before it touches anything). A read
     * may also be sent again after a broken connection or a timeout; a write may not (it may have happened).
     */
    static boolean refusedBeforeActing(Outcome outcome) {
        return switch (outcome.cause()) {
            case CONNECTION_REFUSED, MAINTENANCE -> true;
            case CONNECTION_CLOSED, TIMEOUT -> outcome.operation().isRead() || outcome.operation() == Operation.HEALTH;
            default -> false;
        };
    }

    private Outcome performOn(NodeClients.Node node, Operation operation) {
        LockboxClient client = node.client();
        long sentAt = clock.millis();
        Operation done = operation;
        String version = null;
        Cause cause;
        try {
            switch (operation) {
                case HEALTH -> {
                    Answer answer = client.get("/health", false);
                    version = versionOf(answer);
                    cause = answer.status() != 200 ? FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter())
                            : version == null ? Cause.UNEXPECTED_BODY : Cause.OK;
                }
                case READ_SECRET -> {
                    OptionalLong id = known.pick(ThreadLocalRandom.current().nextDouble());
                    if (id.isPresent()) {
                        cause = readSecret(client, id.getAsLong());
                    } else {
                        done = Operation.LIST_SECRETS; // nothing to read by id yet: learn ids first
                        cause = listSecrets(client);
                    }
                }
                case LIST_SECRETS -> cause = listSecrets(client);
                case LIST_EVENTS -> cause = list(client, "/api/events?limit=" + LIST_LIMIT, "events");
                case LIST_THREATS -> cause = list(client, "/api/threats", "threats");
                case WRITE_SECRET -> cause = writeSecret(node);
                case WRITE_EVENT -> cause = writeEvent(client);
                default -> throw new IllegalStateException("no request for " + operation);
            }
        } catch (IOException e) {
            cause = FailureCauses.ofException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cause = Cause.OTHER_IO_ERROR;
        }
        return new Outcome(done, sentAt, Math.max(sentAt, clock.millis()), cause, version, node.url());
    }

    /** Any node that answers will do (one database): a node that does not is passed over for the next. */
    @Override
    public ReadBack read(long id) {
        ReadBack readBack = null;
        for (NodeClients.Node node : nodes.inTurn()) {
            readBack = read(node.client(), id);
            if (!(readBack instanceof ReadBack.Unreachable)) {
                return readBack;
            }
        }
        return readBack;
    }

    private ReadBack read(LockboxClient client, long id) {
        try {
            Answer answer = client.get("/api/secrets/" + id, true);
            if (answer.status() == 404) {
                return new ReadBack.Missing();
            }
            if (answer.status() != 200) {
                return new ReadBack.Unreachable(FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter()));
            }
            JsonNode body = parse(answer.body());
            if (body == null || !body.path("name").isTextual() || !body.path("value").isTextual()) {
                return new ReadBack.Unreachable(Cause.UNEXPECTED_BODY);
            }
            return new ReadBack.Found(body.get("name").asText(), body.get("value").asText());
        } catch (IOException e) {
            return new ReadBack.Unreachable(FailureCauses.ofException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReadBack.Unreachable(Cause.OTHER_IO_ERROR);
        }
    }

    private Cause readSecret(LockboxClient client, long id) throws IOException, InterruptedException {
        Answer answer = client.get("/api/secrets/" + id, true);
        if (answer.status() != 200) {
            return FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter());
        }
        JsonNode body = parse(answer.body());
        if (body == null || body.path("id").asLong(-1) != id) {
            return Cause.UNEXPECTED_BODY;
        }
        AcknowledgedSecret written = known.writtenAs(id);
        boolean sameContent = written == null
                || (written.name().equals(body.path("name").asText(null)) && written.value().equals(body.path("value").asText(null)));
        return sameContent ? Cause.OK : Cause.UNEXPECTED_BODY;
    }

    private Cause listSecrets(LockboxClient client) throws IOException, InterruptedException {
        Answer answer = client.get("/api/secrets?limit=" + LIST_LIMIT, true);
        if (answer.status() != 200) {
            return FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter());
        }
        JsonNode secrets = arrayIn(answer.body(), "secrets");
        if (secrets == null) {
            return Cause.UNEXPECTED_BODY;
        }
        secrets.forEach(s -> {
            if (s.path("id").canConvertToLong()) {
                known.listed(s.get("id").asLong());
            }
        });
        return Cause.OK;
    }

    private Cause list(LockboxClient client, String path, String field) throws IOException, InterruptedException {
        Answer answer = client.get(path, true);
        if (answer.status() != 200) {
            return FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter());
        }
        return arrayIn(answer.body(), field) == null ? Cause.UNEXPECTED_BODY : Cause.OK;
    }

    private Cause writeSecret(NodeClients.Node node) throws IOException, InterruptedException {
        LockboxClient client = node.client();
        String name = "loadgen-" + runTag + "-" + sequence.incrementAndGet();
        String value = randomValue();
        ObjectNode request = json.createObjectNode().put("name", name).put("value", value);
        Answer answer = client.post("/api/secrets", request.toString());
        if (answer.status() != 201) {
            return FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter());
        }
        JsonNode body = parse(answer.body());
        if (body == null || !body.path("id").canConvertToLong()) {
            return Cause.UNEXPECTED_BODY;
        }
        known.acknowledged(new AcknowledgedSecret(body.get("id").asLong(), name, value, clock.millis(), node.url()));
        return Cause.OK;
    }

    private Cause writeEvent(LockboxClient client) throws IOException, InterruptedException {
        ObjectNode request = json.createObjectNode()
                .put("kind", "loadgen")
                .put("detail", "load generator " + runTag + " event " + sequence.incrementAndGet());
        Answer answer = client.post("/api/events", request.toString());
        if (answer.status() != 201) {
            return FailureCauses.ofStatus(answer.status(), answer.hasRetryAfter());
        }
        JsonNode body = parse(answer.body());
        if (body == null || !body.path("id").canConvertToLong()) {
            return Cause.UNEXPECTED_BODY;
        }
        known.acknowledgedEvent();
        return Cause.OK;
    }

    private String versionOf(Answer answer) {
        JsonNode body = answer.status() == 200 ? parse(answer.body()) : null;
        if (body == null || !"lockbox".equals(body.path("product").asText()) || !body.path("version").isTextual()) {
            return null;
        }
        return body.get("version").asText();
    }

    private JsonNode arrayIn(String text, String field) {
        JsonNode body = parse(text);
        return body != null && body.path(field).isArray() ? body.get(field) : null;
    }

    private JsonNode parse(String text) {
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String randomValue() {
        byte[] bytes = new byte[18];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
