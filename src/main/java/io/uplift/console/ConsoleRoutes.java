package io.uplift.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.uplift.Uplift;
import io.uplift.api.UpliftException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a group of pages registers its routes with: GET pages rendered in the frame, POST actions that
 * end with a redirect and a one-time message, the facade and the running job. The guard has already
 * checked the session and the CSRF token of every request that reaches these handlers.
 */
public final class ConsoleRoutes {
    /** A page's body for a GET. */
    @FunctionalInterface
    public interface PageHandler {
        String body(Context ctx, View view) throws Exception;
    }

    /** A change for a POST: returns the path to go back to (303), after {@link #flash} said how it went. */
    @FunctionalInterface
    public interface ActionHandler {
        String act(Context ctx, View view) throws Exception;
    }

    private final RoutesConfig routes;
    private final Supplier<Uplift> facade;
    private final Runs runs;
    private final Map<String, String> flashes = new ConcurrentHashMap<>();

    ConsoleRoutes(RoutesConfig routes, Supplier<Uplift> facade, Runs runs) {
        this.routes = routes;
        this.facade = facade;
        this.runs = runs;
    }

    /** A new facade for the console's home (cheap: it reads the home when asked). */
    public Uplift uplift() {
        return facade.get();
    }

    public Runs runs() {
        return runs;
    }

    public void page(String path, String title, String navPath, PageHandler handler) {
        routes.get(path, ctx -> {
            View view = view(ctx);
            String body = handler.body(ctx, view);
            String flash = flashes.remove(view.session().token());
            ctx.html(Layout.page(title, navPath, view, flash == null ? "" : flash, body));
        });
    }

    /**
     * A change. When the facade refuses it (an {@link UpliftException}: bad input, a lock, a check), the
     * refusal is shown on the page the form was on, with the exit code the command line would give.
     */
    public void action(String path, ActionHandler handler) {
        routes.post(path, ctx -> {
            View view = view(ctx);
            String next;
            try {
                next = handler.act(ctx, view);
            } catch (UpliftException e) {
                flash(view, "fail", e.getMessage() + " (the command line exits " + e.code().exitCode() + " for this.)");
                next = samePage(ctx);
            }
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    /** The path of the console page the form was on (from Referer, ours only: the guard checked the origin), else the status page. */
    private static String samePage(Context ctx) {
        String referer = ctx.header("Referer");
        if (referer != null) {
            try {
                java.net.URI u = java.net.URI.create(referer);
                if (u.getRawPath() != null && u.getRawPath().startsWith("/") && !u.getRawPath().startsWith("//")) {
                    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                }
            } catch (IllegalArgumentException e) {
                // an unreadable Referer: back to the status page
            }
        }
        return "/";
    }

    /** A file to download (a GET that only reads), written straight to the response. */
    @FunctionalInterface
    public interface DownloadHandler {
        void write(Context ctx, java.io.OutputStream out) throws Exception;
    }

    public void download(String path, String contentType, String fileName, DownloadHandler handler) {
        routes.get(path, ctx -> {
            ctx.contentType(contentType);
            ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            handler.write(ctx, ctx.outputStream());
        });
    }

    /** An action that answers with a page of its own instead of a redirect (a re-issued token, shown once). */
    public void actionPage(String path, String title, String navPath, PageHandler handler) {
        routes.post(path, ctx -> {
            View view = view(ctx);
            ctx.html(Layout.page(title, navPath, view, "", handler.body(ctx, view)));
        });
    }

    /** A message shown once, on the next page this session opens: {@code kind} is ok, warn or fail. */
    public void flash(View view, String kind, String text) {
        flashes.put(view.session().token(), Html.notice(kind, Html.text(text)));
    }

    static View view(Context ctx) {
        return ctx.attribute(Guard.VIEW);
    }
}
