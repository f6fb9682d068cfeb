package io.uplift.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.uplift.Uplift;
import io.uplift.api.LogLine;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * /events: server-sent events for the open pages. Every half second each stream gets the upgrade
 * log's new lines (whoever runs the upgrade: this console or 'uplift upgrade' in a terminal), the
 * running job's new lines, and the state (upgrade, progress, job) when it changed. Each event's id is
 * "LOGCURSOR-JOBLINE": a browser that reconnects sends it back (Last-Event-ID) and continues exactly
 * after the last line it has, so no line is lost or shown twice. A stream whose session ended is closed.
 */
final class EventStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final class Client {
        final SseClient sse;
        final ConsoleSession session;
        long logCursor;
        long jobLine;
        long runId;
        String lastState = "";
        int ticks;

        Client(SseClient sse, ConsoleSession session, long logCursor, long jobLine, long runId) {
            this.sse = sse;
            this.session = session;
            this.logCursor = logCursor;
            this.jobLine = jobLine;
            this.runId = runId;
        }
    }

    private final Supplier<Uplift> facade;
    private final Runs runs;
    private final Sessions sessions;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-events");
        t.setDaemon(true);
        return t;
    });

    EventStream(Supplier<Uplift> facade, Runs runs, Sessions sessions) {
        this.facade = facade;
        this.runs = runs;
        this.sessions = sessions;
        ticker.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    }

    void open(SseClient sse) {
        View view = ConsoleRoutes.view(sse.ctx());
        long[] from = cursors(sse.ctx().header("Last-Event-ID"), sse.ctx().queryParam("from"), sse.ctx().queryParam("job"));
        long runId = parse(sse.ctx().queryParam("run"));
        Client c = new Client(sse, view.session(), from[0], from[1], runId);
        sse.keepAlive();
        sse.onClose(() -> clients.remove(c));
        clients.add(c);
    }

    /** Last-Event-ID wins over the page's own cursors: it is what the browser really received. */
    private static long[] cursors(String lastEventId, String from, String job) {
        if (lastEventId != null && lastEventId.matches("\\d+-\\d+")) {
            String[] p = lastEventId.split("-");
            return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
        }
        return new long[] {parse(from), parse(job)};
    }

    private static long parse(String s) {
        return s != null && s.matches("\\d{1,18}") ? Long.parseLong(s) : 0;
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            Uplift uplift = facade.get();
            for (Client c : clients) {
                send(c, uplift);
            }
        } catch (RuntimeException e) {
            // the home may be mid-swap or unreadable for a moment: the next tick tries again
        }
    }

    private void send(Client c, Uplift uplift) {
        if (c.sse.terminated() || !sessions.alive(c.session)) {
            clients.remove(c);
            c.sse.close();
            return;
        }
        UpgradeLog log = uplift.upgradeLog(c.logCursor, 500);
        for (LogLine line : log.lines()) {
            c.logCursor = line.next();
            event(c, "log", Map.of("at", line.at(), "text", line.text()));
        }
        var run = runs.current().filter(r -> r.id() == c.runId);
        if (run.isPresent()) {
            for (RunListener.Line line : run.get().listener().linesAfter(c.jobLine)) {
                c.jobLine = line.seq();
                event(c, "job", Map.of("at", line.at(), "text", line.text()));
            }
        }
        String state = state(uplift);
        if (!state.equals(c.lastState)) {
            c.lastState = state;
            c.sse.sendEvent("state", state, c.logCursor + "-" + c.jobLine);
        } else if (++c.ticks % 30 == 0) {
            c.sse.sendComment("still here"); // finds a closed connection within 15 s
        }
    }

    private void event(Client c, String name, Map<String, String> data) {
        try {
            c.sse.sendEvent(name, JSON.writeValueAsString(data), c.logCursor + "-" + c.jobLine);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state a page shows live; {@code key} changes when the page should reload for other buttons. */
    private String state(Uplift uplift) {
        StatusResult.Upgrade upgrade = uplift.upgradeState();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("upgrade", upgrade.state());
        s.put("detail", upgrade.detail());
        StatusResult.Progress p = upgrade.progress();
        if (p != null) {
            s.put("step", p.title());
            s.put("unit", p.unit());
            s.put("done", p.done());
            s.put("total", p.total());
            s.put("perSecond", p.perSecond());
            s.put("eta", p.etaSeconds());
            s.put("phase", p.phase());
        }
        var run = runs.current();
        s.put("job", run.map(r -> r.active() ? "running" : r.failed() ? "failed" : "ended").orElse("none"));
        run.filter(Runs.Run::active).ifPresent(r -> {
            RunListener.Progress jp = r.listener().progress();
            s.put("jobKind", r.kind());
            s.put("jobLabel", jp.label());
            s.put("jobDone", jp.done());
            s.put("jobTotal", jp.total());
            s.put("jobPerSecond", jp.perSecond());
            s.put("jobEta", jp.etaSeconds());
        });
        s.put("key", Runs.key(upgrade.state(), runs));
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        ticker.shutdownNow();
        clients.forEach(c -> c.sse.close());
    }
}
