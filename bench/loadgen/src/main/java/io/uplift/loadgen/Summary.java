package io.uplift.loadgen;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report in a few lines for the terminal. Seconds are relative to the run's start ("+12.3 s").
 * A cluster run adds a line per node after the totals.
 */
public final class Summary {
    private Summary() {
    }

    public static String of(Report r) {
        StringBuilder out = new StringBuilder();
        RequestCounts c = r.counts();
        RunSettings s = r.settings();
        line(out, "Load against %s for %.1f s (stopped by %s), %d requests/s, %.0f%% writes",
                s.url(), (r.runEnd() - r.runStart()) / 1000.0, s.stoppedBy(), s.rate(), s.writeShare() * 100);
        line(out, "Requests: %d sent, %d succeeded, %d refused for maintenance (503), %d failed; %d slots skipped (all workers busy)",
                c.sent(), c.succeeded(), c.refusedForMaintenance(), c.failed(), c.skippedBusy());
        if (!c.failedByCause().isEmpty()) {
            line(out, "  by cause: %s", c.failedByCause().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey().label() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        line(out, "Reads: longest without a successful read %s; time with reads failing %.2f s in %d outage(s)",
                window(r.longestWithoutSuccessfulRead(), r.runStart()), r.millisWithReadsFailing() / 1000.0,
                r.readOutages().size());
        line(out, "Writes: longest without a successful write %s", window(r.longestWithoutSuccessfulWrite(), r.runStart()));
        if (r.writeFreeze().isPresent()) {
            OutageGap freeze = r.writeFreeze().get();
            line(out, "  write freeze %s: %d writes refused or failed, the first to the last %s",
                    window(freeze.window(), r.runStart()), freeze.unsuccessful().size(),
                    window(freeze.unsuccessfulSpan(), r.runStart()));
        } else {
            line(out, "  no write freeze: no write was refused or failed");
        }
        line(out, "Versions (health): %s", r.versions().isEmpty() ? "none seen" : r.versions().stream()
                .map(v -> String.format(Locale.ROOT, "%s from +%.2f s to +%.2f s (%d answers)", v.version(),
                        (v.firstSeen() - r.runStart()) / 1000.0, (v.lastSeen() - r.runStart()) / 1000.0, v.answers()))
                .collect(Collectors.joining("; ")));
        AckCheckResult a = r.secrets();
        line(out, "Acknowledged writes: %d secrets: %d read back equal, %d missing, %d different, %d not readable before the deadline",
                a.acknowledged(), a.verified(), a.missing(), a.different(), a.unreachable());
        line(out, "  %d events acknowledged, not verified (Lockbox's API has no read of one event by id)",
                r.eventsAcknowledged());
        if (r.nodes().size() > 1) {
            line(out, "Per node (%d nodes, requests in turn; acknowledged writes lost: %d in total):", r.nodes().size(),
                    a.lost());
            r.nodes().forEach(n -> node(out, n, r.runStart()));
        }
        line(out, r.passed() ? "Result: PASS, every acknowledged secret was read back equal"
                : "Result: FAIL, some acknowledged secrets were not read back equal (ids in the JSON report)");
        return out.toString();
    }

    private static void node(StringBuilder out, NodeReport n, long runStart) {
        RequestCounts c = n.counts();
        line(out, "  %s: %d sent, %d succeeded, %d refused for maintenance (503), %d failed%s", n.url(), c.sent(), c.succeeded(),
                c.refusedForMaintenance(), c.failed(), c.failedByCause().isEmpty() ? "" : " (" + c.failedByCause().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey().label() + " " + e.getValue())
                        .collect(Collectors.joining(", ")) + ")");
        line(out, "    reads failing %.2f s in %d outage(s)%s; %s; versions %s", n.millisWithReadsFailing() / 1000.0,
                n.readOutages().size(), n.readOutages().isEmpty() ? "" : " " + n.readOutages().stream()
                        .map(g -> window(g.window(), runStart)).collect(Collectors.joining(", ")),
                n.writeFreeze().map(f -> "write freeze " + window(f.window(), runStart)).orElse("no write freeze"),
                n.versions().isEmpty() ? "none seen" : n.versions().stream().map(VersionWindow::version).collect(Collectors.joining(" then ")));
        AckCheckResult a = n.secrets();
        line(out, "    acknowledged writes: %d secrets, %d read back equal, %d lost (%d missing, %d different, %d not readable)",
                a.acknowledged(), a.verified(), a.lost(), a.missing(), a.different(), a.unreachable());
    }

    private static String window(Window w, long runStart) {
        return String.format(Locale.ROOT, "%.2f s (+%.2f s to +%.2f s)", w.seconds(),
                (w.start() - runStart) / 1000.0, (w.end() - runStart) / 1000.0);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
