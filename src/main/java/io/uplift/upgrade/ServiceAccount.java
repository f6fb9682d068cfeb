package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.OsUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The account the product's services are started, stopped and asked about as: the vendor's
 * {@code services.account}. A root-run Uplift switches to it with {@code runuser} (as it does for
 * PostgreSQL, see {@link OsUser}); the product's own start script must never run as root, where it
 * would create root-owned files the service then cannot write. Without an account, or when Uplift
 * already runs as that account, the command runs as it is.
 */
final class ServiceAccount {
    private static final String RUNUSER = "/usr/sbin/runuser";

    private ServiceAccount() {}

    /** The command line that runs {@code command} as {@code account}, or a refusal naming what to do. */
    static List<String> commandFor(Optional<String> account, List<String> command) {
        String current = System.getProperty("user.name");
        if (account.isEmpty() || account.get().equals(current)) {
            return List.copyOf(command);
        }
        if (!OsUser.runningAsRoot()) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The product's services run as '" + account.get()
                    + "' (services.account in product.yaml), but Uplift runs as '" + current + "' and can switch accounts only"
                    + " as root. Run Uplift as root or as " + account.get() + ".");
        }
        List<String> wrapped = new ArrayList<>(List.of(RUNUSER, "-u", account.get(), "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Why the services cannot be run as {@code account} by this process, if they cannot; for the preflight check. */
    static Optional<String> whyNot(Optional<String> account) {
        try {
            commandFor(account, List.of("true"));
            return Optional.empty();
        } catch (UpliftException e) {
            return Optional.of(e.getMessage());
        }
    }
}
