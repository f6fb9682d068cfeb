package io.uplift.keys.tokens;

import io.uplift.api.TokenList;
import io.uplift.api.RevokedTokens;
import io.uplift.api.ReissuedToken;
import io.uplift.api.AppToken;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.TokenFormatHistory;
import io.uplift.catalog.TokenTable;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The app tokens of one installation ('uplift tokens'): which are deprecated at the installed version,
 * re-issuing one in the current format and revoking the old one. A change runs in one transaction
 * under the home lock, and never while an upgrade is under way or interrupted: its rollback restores
 * the database from the backup and would silently bring back a revoked token or drop a new one.
 */
public final class InstallationTokens {
    private static final int NAMES_SHOWN = 12;

    private final Installation installation;
    private final Catalog catalog;
    private final Version installed;
    private final TokenFormatHistory history;
    private final TokenMaker maker;

    public InstallationTokens(Installation installation, Catalog catalog) {
        this(installation, catalog, new TokenMaker(new SecureRandom()));
    }

    InstallationTokens(Installation installation, Catalog catalog, TokenMaker maker) {
        this.installation = installation;
        this.catalog = catalog;
        this.installed = Version.parse(installation.state().version());
        this.history = new TokenFormatHistory(catalog.releases());
        this.maker = maker;
    }

    /** Whether the product declares app tokens at all (product.yaml, {@code tokens:}). */
    public boolean declared() {
        return catalog.product().tokens().isPresent();
    }

    public Set<String> deprecatedFormats() {
        return history.deprecatedAt(installed);
    }

    /** The format 'reissue' makes at the installed version, if any. */
    public Optional<String> currentFormat() {
        return history.currentAt(installed);
    }

    public TokenList list(boolean deprecatedOnly) {
        TokenTable table = table();
        Set<String> deprecated = deprecatedFormats();
        return withConnection("list the app tokens", conn -> {
            List<AppToken> all = new TokenRows(table).all(conn, deprecated::contains);
            return new TokenList(catalog.product().id(), installed.toString(), history.currentAt(installed).orElse(null),
                    List.copyOf(deprecated), deprecatedOnly, deprecatedOnly ? all.stream().filter(AppToken::deprecated).toList() : all);
        });
    }

    /** How many tokens are in a deprecated format; the database must be running (status probes first). */
    public long deprecatedCount() {
        TokenTable table = table();
        Set<String> deprecated = deprecatedFormats();
        return withConnection("count the deprecated app tokens", conn -> new TokenRows(table).count(conn, deprecated));
    }

    /**
     * Adds a token of the current format with the name, description and scope (and every other column)
     * of the deprecated token of that name. The old one keeps working until it is revoked, so the
     * application can be switched over first.
     */
    public ReissuedToken reissue(String name) {
        TokenTable table = table();
        String format = history.currentAt(installed).orElseThrow(() -> new UpliftException(ErrorCode.USAGE, "No release up to the installed "
                + installed + " introduces a token format that is still current, so there is no format to re-issue '" + name
                + "' in; the catalog's releases declare them under token-formats."));
        TokenTable.TokenFormat shape = Optional.ofNullable(table.formats().get(format)).orElseThrow();
        Set<String> deprecated = deprecatedFormats();
        return change("uplift tokens reissue", "re-issue the app token '" + name + "'", conn -> {
            TokenRows rows = new TokenRows(table);
            List<TokenRows.Row> existing = existing(conn, rows, name);
            Optional<TokenRows.Row> current = existing.stream().filter(r -> r.format().equals(format)).findFirst();
            if (current.isPresent()) {
                throw new UpliftException(ErrorCode.USAGE, "'" + name + "' already has a token in the current format " + format
                        + ", so there is nothing to re-issue. If that token was lost before it was stored, revoke it with 'uplift tokens revoke "
                        + name + " --format " + format + "' and re-issue again.");
            }
            TokenRows.Row source = existing.stream().filter(r -> deprecated.contains(r.format())).findFirst()
                    .orElseThrow(() -> new UpliftException(ErrorCode.USAGE, "'" + name + "' has no token in a deprecated format (it has "
                            + formats(existing) + "; deprecated at " + installed + ": " + (deprecated.isEmpty() ? "none" : String.join(", ", deprecated))
                            + "), so there is nothing to re-issue."));
            String token = maker.make(shape);
            rows.insertCopy(conn, source, TokenMaker.sha256Hex(token), format);
            return new ReissuedToken(name, format, token, source.description(), source.scope(),
                    existing.stream().map(TokenRows.Row::format).distinct().toList());
        });
    }

    /**
     * Deletes the deprecated tokens of one name (or its tokens of {@code format}). Refuses to delete the
     * last token of a name unless {@code evenIfLast}: the application using it would be cut off.
     */
    public RevokedTokens revoke(String name, Optional<String> format, boolean evenIfLast) {
        TokenTable table = table();
        format.filter(f -> !table.formats().containsKey(f)).ifPresent(f -> {
            throw new UpliftException(ErrorCode.USAGE, "--format " + f + " is not a token format of " + catalog.product().name()
                    + "; its formats are " + String.join(", ", table.formats().keySet().stream().sorted().toList()) + ".");
        });
        Set<String> deprecated = deprecatedFormats();
        return change("uplift tokens revoke", "revoke the app token '" + name + "'", conn -> {
            TokenRows rows = new TokenRows(table);
            List<TokenRows.Row> existing = existing(conn, rows, name);
            Set<String> targets = new LinkedHashSet<>();
            existing.stream().map(TokenRows.Row::format).filter(f -> format.map(f::equals).orElse(deprecated.contains(f))).forEach(targets::add);
            if (targets.isEmpty()) {
                throw new UpliftException(ErrorCode.USAGE, "'" + name + "' has no " + format.map(f -> "token of format " + f)
                        .orElse("token in a deprecated format") + " (it has " + formats(existing) + "), so there is nothing to revoke."
                        + (format.isEmpty() ? " To revoke a current token, name its format with --format." : ""));
            }
            List<String> remaining = existing.stream().map(TokenRows.Row::format).filter(f -> !targets.contains(f)).distinct().toList();
            if (remaining.isEmpty() && !evenIfLast) {
                throw new UpliftException(ErrorCode.USAGE, "Revoking would leave no token named '" + name + "', and the application using it"
                        + " would be cut off. Re-issue it first ('uplift tokens reissue " + name + "') and switch the application to the new"
                        + " token; or, if nothing uses it any more, pass --even-if-last.");
            }
            int deleted = rows.delete(conn, name, targets);
            return new RevokedTokens(name, List.copyOf(targets), deleted, remaining);
        });
    }

    private List<TokenRows.Row> existing(Connection conn, TokenRows rows, String name) throws SQLException {
        List<TokenRows.Row> existing = rows.lockByName(conn, name);
        if (existing.isEmpty()) {
            List<String> names = rows.names(conn, NAMES_SHOWN + 1);
            throw new UpliftException(ErrorCode.USAGE, "There is no app token named '" + name + "'. "
                    + (names.isEmpty() ? "The product has no app token at all." : "Names are exact (and case-sensitive); the tokens are "
                    + String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size()))) + (names.size() > NAMES_SHOWN ? ", ..." : "")
                    + " ('uplift tokens list' shows them all).") + " Nothing was changed.");
        }
        return existing;
    }

    private static String formats(List<TokenRows.Row> rows) {
        return String.join(", ", rows.stream().map(TokenRows.Row::format).distinct().toList());
    }

    private TokenTable table() {
        return catalog.product().tokens().orElseThrow(() -> new UpliftException(ErrorCode.USAGE, catalog.product().name()
                + " declares no app tokens: its catalog's product.yaml has no 'tokens:' section (docs/catalog.md), so Uplift has none to list,"
                + " re-issue or revoke."));
    }

    private interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    private <T> T withConnection(String what, Work<T> work) {
        ProductDatabase db = new ProductDatabase(installation);
        db.ensureRunning();
        try (Connection conn = db.connect()) {
            new TokenRows(table()).checkColumns(conn);
            return work.run(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Could not " + what + ": the database answered " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ").", e);
        }
    }

    /** One transaction under the home lock: all of the change or none of it. */
    private <T> T change(String command, String what, Work<T> work) {
        try (HomeLock lock = HomeLock.acquire(installation.lockFile(), command)) {
            Journal.open(installation.journalFile(), Clock.systemUTC()).ifPresent(j -> {
                throw new UpliftException(ErrorCode.LOCKED, "An upgrade to " + j.get().target() + " is under way or was interrupted;"
                        + " its rollback would restore the database from its backup and undo a token change. Finish it first with"
                        + " 'uplift resume' (or 'uplift rollback'), then run this again. Nothing was changed.");
            });
            return withConnection(what, conn -> {
                conn.setAutoCommit(false);
                try {
                    T result = work.run(conn);
                    conn.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    conn.rollback();
                    throw e;
                }
            });
        }
    }
}
