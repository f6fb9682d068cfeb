package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.MoveRequest;
import io.uplift.api.SourceIndexesToDrop;
import io.uplift.api.ThreadCount;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database move form of the threat-manager document, with every option of 'uplift db move':
 * submitted, it is checked as the command line checks it (nothing starts on a refusal, the form comes
 * back filled in, without any password), the indexes that 'reduce the source database size' would drop
 * are shown for a second confirmation, and the move runs as the console's job, followed on /upgrade.
 */
final class DbMovePage implements Pages {
    /** What a session last sent, shown again after a refusal, and the indexes it is asked to confirm. */
    private record Draft(DbMoveForm form, Optional<SourceIndexesToDrop> indexes, String digest) {}

    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/db-move", "Database move", "/db-move", (ctx, view) -> {
            Draft draft = Optional.ofNullable(drafts.get(view.session().token()))
                    .orElseGet(() -> new Draft(DbMoveForm.initial(installationDatabase(routes.uplift())), Optional.empty(), ""));
            String running = routes.runs().active().map(r -> Html.notice("info", "This console runs " + Html.text(r.kind()) + " for "
                    + Html.text(r.holder().describe()) + ": <a href=\"/upgrade\">follow it</a>. A move starts once it ended.")).orElse("");
            return running + DbMoveView.body(draft.form(), draft.indexes(), draft.digest(), cores(), installationDatabaseUrl(routes.uplift()),
                    view);
        });
        routes.action("/db-move/start", (ctx, view) -> start(routes, view, DbMoveForm.from(ctx)));
        routes.action("/db-move/reset", (ctx, view) -> {
            drafts.remove(view.session().token());
            return "/db-move";
        });
    }

    private String start(ConsoleRoutes routes, View view, DbMoveForm form) {
        String session = view.session().token();
        drafts.put(session, new Draft(form.echo(false), Optional.empty(), ""));
        MoveRequest request;
        try {
            request = form.request(cores());
        } catch (DbMoveForm.PasswordInForm e) {
            drafts.put(session, new Draft(form.echo(true), Optional.empty(), ""));
            routes.flash(view, "fail", e.getMessage());
            return "/db-move";
        } catch (UpliftException e) {
            routes.flash(view, "fail", e.getMessage());
            return "/db-move";
        }
        if (request.dropSourceIndexes()) {
            SourceIndexesToDrop drop;
            try {
                drop = Uplift.sourceIndexesToDrop(request);
            } catch (UpliftException e) {
                routes.flash(view, "fail", "Reduce the source database size: " + e.getMessage() + " Nothing was started.");
                return "/db-move";
            }
            String digest = digest(drop);
            // As the command line asks "Drop these N indexes?" after listing them: exactly the indexes shown are dropped.
            if (!drop.indexes().isEmpty() && !digest.equals(form.indexesDigest())) {
                drafts.put(session, new Draft(form.echo(false), Optional.of(drop), digest));
                routes.flash(view, "warn", (form.indexesDigest().isEmpty() ? "" : "The indexes to drop changed since they were shown. ")
                        + "Review the " + drop.indexes().size() + " indexes that 'Reduce the source database size' drops on the source,"
                        + " tick the box under them, then press Move again. Nothing was started.");
                return "/db-move";
            }
            request = request.withIndexesToDrop(drop);
        }
        return startJob(routes, view, request);
    }

    private String startJob(ConsoleRoutes routes, View view, MoveRequest request) {
        try {
            routes.runs().start(view.session(), "the database move", new DbMoveJob(request));
        } catch (UpliftException e) {
            routes.flash(view, "fail", e.getMessage());
            return "/db-move";
        }
        drafts.remove(view.session().token());
        routes.flash(view, "ok", "The database move started: " + request.source() + " to " + request.target().map(Object::toString)
                .orElseGet(() -> request.newServer().map(s -> "a new PostgreSQL " + s.major() + " server in " + s.dataDir()).orElse(""))
                + ". Its lines and progress show below; closing the page changes nothing.");
        return "/upgrade";
    }

    /** This machine's cores, as the command line counts them for --threads. */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** What the threads presets mean on this machine (reliable = 1, recommended = cores / 2, performant = cores). */
    static int threadsOf(String preset) {
        return ThreadCount.parse(preset, cores());
    }

    private static String installationDatabaseUrl(Uplift uplift) {
        try {
            return uplift.status().database().url();
        } catch (UpliftException e) {
            return "";
        }
    }

    /**
     * The installation's database as status shows it (a pgjdbc URL), written as 'db move' takes it. The
     * user is not part of it: the operator adds it (postgresql://USER@HOST:PORT/DB).
     */
    private static String installationDatabase(Uplift uplift) {
        String url = installationDatabaseUrl(uplift);
        return url.startsWith("jdbc:postgresql://") ? url.substring("jdbc:".length()) : "";
    }

    /** Stands for exactly the indexes shown: the move drops these, or the operator is asked again. */
    static String digest(SourceIndexesToDrop drop) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            drop.indexes().forEach(i -> sha.update((i.definition() + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
