package io.lockbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GET / (the status page) and GET /assets/* (its hashed stylesheet and script); every other path is
 * the API's. The page is revalidated on every visit ("no-cache"; it is small and its state changes),
 * the assets are kept for a year ("immutable"), which their content-hashed names make safe.
 */
final class WebPages {
    static final String PAGE_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";
    static final String PAGE_POLICY = "default-src 'self'; frame-ancestors 'none'";

    private final HashedAssets assets;
    private final Supplier<StatusPage.Status> status;

    WebPages(HashedAssets assets, Supplier<StatusPage.Status> status) {
        this.assets = assets;
        this.status = status;
    }

    /** Answers the request when it is the page's or an asset's; false leaves it to the API. */
    boolean handle(Exchange x) throws IOException {
        String path = x.path();
        boolean page = path.equals("/");
        if (!page && !path.startsWith(HashedAssets.PREFIX)) {
            return false;
        }
        if (!x.method().equals("GET")) {
            x.sendBytes(405, "text/plain; charset=utf-8", text(x.method() + " is not allowed on " + path + "; use GET.\n"),
                    Map.of("Allow", "GET", "X-Content-Type-Options", "nosniff"));
            return true;
        }
        if (page) {
            x.sendBytes(200, "text/html; charset=utf-8", text(StatusPage.render(status.get(), assets)), Map.of(
                    "Cache-Control", PAGE_CACHE,
                    "Content-Security-Policy", PAGE_POLICY,
                    "X-Content-Type-Options", "nosniff"));
            return true;
        }
        HashedAssets.Asset asset = assets.find(path);
        if (asset == null) {
            // An old release's name, or none at all: never a file the name does not stand for. "no-store":
            // during a rolling upgrade nodes run different releases, and a name this node lacks may be
            // another node's, so a browser must not keep this 404.
            x.sendBytes(404, "text/plain; charset=utf-8", text("No such asset: " + path + ". Reload the page: it names this release's files.\n"),
                    Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"));
            return true;
        }
        x.sendBytes(200, asset.contentType(), asset.bytes(), Map.of("Cache-Control", ASSET_CACHE, "X-Content-Type-Options", "nosniff"));
        return true;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
