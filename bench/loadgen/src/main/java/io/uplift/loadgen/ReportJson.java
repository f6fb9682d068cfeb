package io.uplift.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** The report as JSON: instants as ISO-8601 UTC and as seconds since the run started. */
public final class ReportJson {
    private static final int OUTAGES_LISTED = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String write(Report report) {
        try {
            return JSON.writeValueAsString(toJson(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report could not be serialised", e);
        }
    }

    static ObjectNode toJson(Report r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "uplift-loadgen");
        root.put("url", r.settings().url());
        r.settings().nodes().forEach(root.putArray("urls")::add);
        root.put("rate", r.settings().rate());
        root.put("writeShare", r.settings().writeShare());
        root.put("workers", r.settings().workers());
        root.put("stoppedBy", r.settings().stoppedBy());
        root.put("startedAt", Instant.ofEpochMilli(r.runStart()).toString());
        root.put("endedAt", Instant.ofEpochMilli(r.runEnd()).toString());
        root.put("seconds", (r.runEnd() - r.runStart()) / 1000.0);

        RequestCounts c = r.counts();
        ObjectNode requests = root.putObject("requests");
        requests.put("sent", c.sent());
        requests.put("succeeded", c.succeeded());
        requests.put("refusedForMaintenance", c.refusedForMaintenance());
        requests.put("failed", c.failed());
        requests.put("skippedAllWorkersBusy", c.skippedBusy());
        requests.put("rerouted", c.failedByCause().getOrDefault(Cause.REROUTED, 0L));
        ObjectNode causes = requests.putObject("failedByCause");
        c.failedByCause().entrySet().stream().filter(e -> e.getKey() != Cause.REROUTED).sorted(Map.Entry.comparingByKey())
                .forEach(e -> causes.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
        ObjectNode byOperation = requests.putObject("byOperation");
        for (Operation op : Operation.values()) {
            long sent = c.sentByOperation().getOrDefault(op, 0L);
            if (sent > 0) {
                byOperation.putObject(op.name().toLowerCase(Locale.ROOT))
                        .put("sent", sent).put("succeeded", c.succeededByOperation().getOrDefault(op, 0L));
            }
        }

        ObjectNode reads = root.putObject("reads");
        reads.set("longestWithoutSuccess", window(r.longestWithoutSuccessfulRead(), r.runStart()));
        reads.put("secondsWithReadsFailing", r.millisWithReadsFailing() / 1000.0);
        reads.put("outages", r.readOutages().size());
        ArrayNode outages = reads.putArray("outageWindows");
        r.readOutages().stream().limit(OUTAGES_LISTED).forEach(g -> outages.add(gap(g, r.runStart())));
        reads.put("slowestSuccessfulReadMillis", c.slowestSuccessfulReadMillis());

        ObjectNode writes = root.putObject("writes");
        writes.set("longestWithoutSuccess", window(r.longestWithoutSuccessfulWrite(), r.runStart()));
        if (r.writeFreeze().isPresent()) {
            writes.set("freeze", gap(r.writeFreeze().get(), r.runStart()));
        } else {
            writes.putNull("freeze");
        }

        ArrayNode versions = root.putArray("versions");
        for (VersionWindow v : r.versions()) {
            ObjectNode node = versions.addObject();
            node.put("version", v.version());
            node.set("seen", window(new Window(v.firstSeen(), v.lastSeen()), r.runStart()));
            node.put("healthAnswers", v.answers());
        }

        ObjectNode acknowledged = root.putObject("acknowledgedWrites");
        AckCheckResult s = r.secrets();
        ObjectNode secrets = acknowledged.putObject("secrets");
        secrets.put("acknowledged", s.acknowledged());
        secrets.put("verifiedPresentAndEqual", s.verified());
        secrets.put("missing", s.missing());
        secrets.put("different", s.different());
        secrets.put("notReadableBeforeDeadline", s.unreachable());
        secrets.put("lost", s.lost());
        s.missingIds().forEach(secrets.putArray("missingIds")::add);
        s.differentIds().forEach(secrets.putArray("differentIds")::add);
        s.unreachableIds().forEach(secrets.putArray("notReadableIds")::add);
        ObjectNode events = acknowledged.putObject("events");
        events.put("acknowledged", r.eventsAcknowledged());
        events.put("verified", false);
        events.put("why", "Lockbox's API has no read of one event by id; only secrets are read back");
        ArrayNode nodes = root.putArray("nodes");
        r.nodes().forEach(n -> nodes.add(node(n, r.runStart())));
        root.put("passed", r.passed());
        return root;
    }

    /** One node of the run: the same figures as the totals, for its requests and the secrets it acknowledged. */
    private static ObjectNode node(NodeReport n, long runStart) {
        ObjectNode node = JSON.createObjectNode();
        node.put("url", n.url());
        RequestCounts c = n.counts();
        ObjectNode requests = node.putObject("requests");
        requests.put("sent", c.sent());
        requests.put("succeeded", c.succeeded());
        requests.put("refusedForMaintenance", c.refusedForMaintenance());
        requests.put("failed", c.failed());
        requests.put("rerouted", c.failedByCause().getOrDefault(Cause.REROUTED, 0L));
        ObjectNode causes = requests.putObject("failedByCause");
        c.failedByCause().entrySet().stream().filter(e -> e.getKey() != Cause.REROUTED).sorted(Map.Entry.comparingByKey())
                .forEach(e -> causes.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
        ObjectNode reads = node.putObject("reads");
        reads.put("secondsWithReadsFailing", n.millisWithReadsFailing() / 1000.0);
        reads.put("outages", n.readOutages().size());
        ArrayNode outages = reads.putArray("outageWindows");
        n.readOutages().stream().limit(OUTAGES_LISTED).forEach(g -> outages.add(gap(g, runStart)));
        ObjectNode writes = node.putObject("writes");
        if (n.writeFreeze().isPresent()) {
            writes.set("freeze", gap(n.writeFreeze().get(), runStart));
        } else {
            writes.putNull("freeze");
        }
        n.versions().forEach(v -> node.withArray("versions").add(v.version()));
        AckCheckResult a = n.secrets();
        node.putObject("acknowledgedSecrets")
                .put("acknowledged", a.acknowledged())
                .put("verifiedPresentAndEqual", a.verified())
                .put("missing", a.missing())
                .put("different", a.different())
                .put("notReadableBeforeDeadline", a.unreachable())
                .put("lost", a.lost());
        return node;
    }

    private static ObjectNode window(Window w, long runStart) {
        ObjectNode node = JSON.createObjectNode();
        node.put("start", Instant.ofEpochMilli(w.start()).toString());
        node.put("end", Instant.ofEpochMilli(w.end()).toString());
        node.put("startSecond", (w.start() - runStart) / 1000.0);
        node.put("endSecond", (w.end() - runStart) / 1000.0);
        node.put("seconds", w.seconds());
        return node;
    }

    private static ObjectNode gap(OutageGap g, long runStart) {
        ObjectNode node = window(g.window(), runStart);
        node.put("unsuccessfulRequests", g.unsuccessful().size());
        if (g.hasUnsuccessful()) {
            node.set("firstToLastUnsuccessful", window(g.unsuccessfulSpan(), runStart));
        }
        return node;
    }
}
