package io.lockbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lockbox, the demo product that ships with Uplift: secrets (encrypted with the node's keyset),
 * events and threats behind an HTTP JSON API on 127.0.0.1.
 *
 * <pre>
 * lockbox serve --home HOME                          serve in the foreground (app/bin/lockbox start backgrounds it)
 * lockbox token create NAME --home HOME [--scope S]  make an app token; prints it once
 * </pre>
 * Exit codes: 0 done, 2 usage, 10 configuration, 11 database, 12 keyset, 13 port in use; the node
 * gate's refusals keep their own codes (20 to 24, see uplift-gate's README).
 */
public final class Lockbox {
    private Lockbox() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (LockboxException e) {
            System.err.println(e.getMessage());
            code = e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) throws InterruptedException {
        List<String> rest = new ArrayList<>(List.of(args));
        Path home = Path.of(option(rest, "--home", "."));
        String scope = option(rest, "--scope", "admin");
        if (rest.equals(List.of("serve"))) {
            return new Server(new NodeHome(home)).run();
        }
        if (rest.size() == 3 && rest.get(0).equals("token") && rest.get(1).equals("create")) {
            return createToken(new NodeHome(home), rest.get(2), scope);
        }
        throw new LockboxException(LockboxException.USAGE, "usage: lockbox serve --home HOME | lockbox token create NAME --home HOME [--scope SCOPE]");
    }

    /** Inserts only the hash of a new token of this release's format; prints the token once, on stdout. */
    private static int createToken(NodeHome home, String name, String scope) {
        ReleaseFeatures features = ReleaseFeatures.of(home.version());
        String token = Tokens.newToken(features.tokenFormat());
        ConnectionPool pool = new ConnectionPool(home);
        try (Connection conn = pool.open("lockbox-token")) {
            Tokens.insert(conn, name, scope, features.tokenFormat(), Tokens.sha256Hex(token));
        } catch (SQLException e) {
            if (DatabaseErrors.isReadOnly(e)) {
                throw new LockboxException(LockboxException.DATABASE, ApiError.READ_ONLY);
            }
            if (DatabaseErrors.hasState(e, "23505")) {
                throw new LockboxException(LockboxException.USAGE, "A token named '" + name + "' of format " + features.tokenFormat().name()
                        + " exists already; choose another name (or revoke it: uplift tokens revoke).");
            }
            throw new LockboxException(LockboxException.DATABASE, "Cannot store the new token: " + e.getMessage()
                    + ". Check that the database named in " + NodeHome.DATABASE_FILE + " runs.", e);
        }
        System.out.println(token);
        return 0;
    }

    private static String option(List<String> args, String name, String otherwise) {
        int i = args.indexOf(name);
        if (i < 0) {
            return otherwise;
        }
        if (i + 1 >= args.size()) {
            throw new LockboxException(LockboxException.USAGE, name + " needs a value.");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
