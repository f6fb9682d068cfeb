package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationRequest;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
import io.uplift.api.NodeInfo;
import io.uplift.api.ProgressListener;
import io.uplift.api.RotationListener;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.RunListener;
import io.uplift.console.View;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The encryption keys ('uplift keys status'): the primary key, the retiring keys with the end of their
 * grace, the values under each key, the keyset fingerprint each node reported; "Rotate keys" ('uplift keys
 * rotate') as a console job, since it re-encrypts every encrypted value; "Retire old keys" ('uplift keys
 * retire') in the request, since it only counts and rewrites the keyset file. Never a key itself.
 */
final class KeysPage implements Pages {
    static final String ROTATE_KIND = "a key rotation";

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/keys", "Keys", "/keys", (ctx, view) -> body(routes, view));
        routes.action("/keys/rotate", (ctx, view) -> {
            String grace = ctx.formParam("grace");
            KeyRotationRequest request;
            try {
                request = KeyRotationRequest.of(grace == null || grace.isBlank() ? null : grace.trim(), null);
            } catch (UpliftException e) {
                routes.flash(view, "fail", "The field 'grace' is refused: " + e.getMessage());
                return "/keys";
            }
            try {
                // The same refusals the terminal gives before its question: the lock held, an upgrade under way.
                routes.uplift().checkKeyChange("uplift keys rotate");
                routes.runs().start(view.session(), ROTATE_KIND, (uplift, l) -> rotate(uplift, l, request));
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
                return "/keys";
            }
            return "/upgrade";
        });
        routes.action("/keys/retire", (ctx, view) -> {
            boolean now = "on".equals(ctx.formParam("now"));
            Uplift uplift = routes.uplift();
            try {
                uplift.checkKeyChange("uplift keys retire");
                // The confirmation was the browser's; what is due is decided (and values under it refused) by the facade.
                KeyRetirementResult r = uplift.retireKeys(now);
                String waiting = r.waiting().stream().map(k -> "Key " + k.keyId() + " is retiring until " + InstantText.seconds(k.until()) + ".")
                        .collect(Collectors.joining(" "));
                if (r.disabled().isEmpty()) {
                    routes.flash(view, "ok", "No key is due for retirement" + (now ? "." : " (tick 'now' to retire the retiring keys before their"
                            + " grace ends).") + (waiting.isEmpty() ? "" : " " + waiting));
                } else {
                    routes.flash(view, "ok", r.disabled().stream().map(k -> "Key " + k + " disabled: it no longer decrypts.")
                            .collect(Collectors.joining(" ")) + (waiting.isEmpty() ? "" : " " + waiting));
                }
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/keys";
        });
    }

    private static String body(ConsoleRoutes routes, View view) {
        Uplift uplift = routes.uplift();
        KeysStatus s;
        try {
            s = uplift.keysStatus();
        } catch (UpliftException e) {
            return Html.notice("fail", Html.text(e.getMessage()));
        }
        boolean busy = ConsoleJobNotice.busy(routes);
        StringBuilder b = new StringBuilder("<p>The installation's encryption keys (config/keyset.json) and how many values of each"
                + " encrypted column are under each key. Rotating adds a new primary key and re-encrypts every value under it while the"
                + " product keeps reading; the old keys keep decrypting for their grace, then Retire disables them.</p>");
        b.append(ConsoleJobNotice.of(routes, ROTATE_KIND));
        b.append("<dl class=\"facts\">").append(StatusPage.fact("Primary key", String.valueOf(s.primaryKeyId()), "primary-key"))
                .append(StatusPage.fact("Rotation", s.rotation(), "rotation")).append(StatusPage.fact("Keyset fingerprint", fingerprints(uplift), "fingerprint"))
                .append("</dl>");
        List<String> columns = s.columns().stream().map(KeysStatus.Column::column).toList();
        List<String> headers = new java.util.ArrayList<>(List.of("Key", "Status"));
        headers.addAll(columns);
        b.append(Html.table(headers, s.keys(), k -> {
            List<String> cells = new java.util.ArrayList<>(List.of("<span id=\"key-" + k.keyId() + "\">" + k.keyId() + "</span>",
                    "<span id=\"key-" + k.keyId() + "-status\">" + (k.status().equals("retiring")
                            ? Html.badge("warn", "retiring") + " until " + InstantText.time(k.retiringUntil(), "?")
                            : Html.badge(k.status().equals("primary") ? "pass" : "info", k.status())) + "</span>"));
            columns.forEach(c -> cells.add(Html.text(String.format("%,d", k.values().getOrDefault(c, 0L)))));
            return cells;
        }));
        for (KeysStatus.Column c : s.columns()) {
            if (c.unknownKey() > 0) {
                b.append(Html.notice("fail", Html.text(c.column() + ": " + String.format("%,d", c.unknownKey())
                        + " values under a key the keyset does not hold: they cannot be decrypted.")));
            }
        }
        long values = s.columns().stream().mapToLong(KeysStatus.Column::values).sum();
        boolean unfinished = !"none".equals(s.rotation());
        b.append("<h2>Rotate</h2>").append(view.form("/keys/rotate")
                .field("<label>Grace of the old keys <input name=\"grace\" id=\"grace\" placeholder=\"7d\" size=\"6\"></label> ")
                .confirm(unfinished ? "Finish the unfinished rotation?" : "Add a new primary key and re-encrypt " + String.format("%,d", values)
                        + " values under it? The product keeps reading throughout.")
                .disabledWhen(busy, "The console runs a job: wait for it to end.")
                .button(unfinished ? "Finish the rotation" : "Rotate keys"));
        b.append("<p class=\"hint\">Grace: 7d, 36h, 90m, 0s or P7D (default 7d); a resumed rotation keeps the grace it started with.</p>");
        boolean retiring = s.keys().stream().anyMatch(k -> k.status().equals("retiring"));
        b.append("<h2>Retire</h2>");
        if (retiring) {
            b.append("<p id=\"retire-due\">").append(Html.text(due(uplift))).append("</p>");
        }
        b.append(view.form("/keys/retire")
                .field("<label><input type=\"checkbox\" name=\"now\" id=\"retire-now\"> now, before the end of their grace</label> ")
                .confirm("Disable the retiring keys that are due? Values still under them are refused first; a disabled key no longer decrypts.")
                .disabledWhen(!retiring, "No key is retiring.")
                .disabledWhen(busy, "The console runs a job: wait for it to end.")
                .button("Retire old keys"));
        return b.toString();
    }

    /** Which retiring keys Retire would disable now, as 'uplift keys retire' decides it before its question. */
    private static String due(Uplift uplift) {
        try {
            List<Long> due = uplift.keysDueForRetirement(false);
            return due.isEmpty() ? "No retiring key's grace has ended yet: Retire changes nothing unless 'now' is ticked."
                    : "Due now (grace ended): key " + due.stream().map(String::valueOf).collect(Collectors.joining(", key ")) + ".";
        } catch (UpliftException e) {
            return "Not read: " + e.getMessage();
        }
    }

    /** The fingerprint of the keyset each node's gate reported at its start (a hash, never key material), or why there is none. */
    private static String fingerprints(Uplift uplift) {
        List<NodeInfo> nodes;
        try {
            nodes = uplift.nodes().nodes();
        } catch (UpliftException e) {
            return "not read: " + e.getMessage();
        }
        List<String> seen = nodes.stream().map(NodeInfo::keysetFingerprint).filter(f -> f != null).distinct().toList();
        if (seen.isEmpty()) {
            return "not reported yet (the product's node gate records it when a node starts)";
        }
        return seen.size() == 1 ? seen.get(0) + " (every node)"
                : "nodes differ: " + nodes.stream().map(n -> n.nodeId() + " " + n.keysetFingerprint()).collect(Collectors.joining(", "));
    }

    private static String rotate(Uplift uplift, RunListener l, KeyRotationRequest request) {
        KeyRotationResult r = uplift.rotateKeys(request, new RotationListener() {
            @Override
            public void message(String text) {
                l.line(text);
            }

            @Override
            public ProgressListener progress(String phase) {
                return l.progress(new Step("keys/" + phase, StepKind.ROTATE_KEYS, phase, ""));
            }
        });
        r.retiring().forEach(k -> l.line("Key " + k.keyId() + " still decrypts until " + k.until() + "; then Retire disables it."));
        return String.format("key %d is primary; %,d values re-encrypted%s, %,d verified, in %.1f s.", r.newPrimaryKeyId(), r.reencrypted(),
                r.resumed() ? " by this run (resumed)" : "", r.verified(), r.millis() / 1000.0);
    }
}
