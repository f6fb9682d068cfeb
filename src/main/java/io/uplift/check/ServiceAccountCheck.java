package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.db.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The product's services must keep running as the same account everywhere (the data-classifier
 * procedure): the owner of the program files now, against the one recorded at install and the one
 * the vendor names.
 */
final class ServiceAccountCheck implements PreflightCheck {
    private static final String ID = "service-account";
    private static final String TITLE = "Service account";

    @Override
    public CheckResult run(CheckContext c) {
        String owner;
        try {
            owner = Files.getOwner(c.installation().app()).getName();
        } catch (IOException e) {
            return CheckResult.fail(ID, TITLE, "cannot read the owner of " + c.installation().app() + ": " + e.getMessage(),
                    "check that the program folder exists and is readable");
        }
        String recorded = c.installation().state().serviceAccount();
        if (recorded != null && !recorded.equals(owner)) {
            return CheckResult.fail(ID, TITLE, c.installation().app() + " belongs to " + owner + " but the services ran as "
                    + recorded + " when Uplift recorded them", "give the program files back to " + recorded
                    + " (chown -R " + recorded + " " + c.installation().app() + "), or run the services as " + owner + " on every node");
        }
        Optional<String> vendor = c.catalog().product().services().account();
        if (vendor.isPresent() && !vendor.get().equals(c.currentUser()) && !OsUser.runningAsRoot()) {
            return CheckResult.fail(ID, TITLE, "the services run as " + vendor.get() + " (services.account) but Uplift runs as "
                    + c.currentUser() + " and can start and stop them as " + vendor.get() + " only when run as root",
                    "run Uplift as root (it switches to " + vendor.get() + " with runuser) or as " + vendor.get());
        }
        if (vendor.isPresent() && !vendor.get().equals(owner)) {
            return CheckResult.warn(ID, TITLE, "the services run as " + owner + ", the vendor expects " + vendor.get(),
                    "run them as " + vendor.get() + " on every node, or keep " + owner + " everywhere");
        }
        return CheckResult.pass(ID, TITLE, "the services run as " + owner + ", as recorded");
    }
}
