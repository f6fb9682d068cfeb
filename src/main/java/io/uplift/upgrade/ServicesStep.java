package io.uplift.upgrade;

import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stops (or starts) the product's services with the commands the vendor put in product.yaml. The
 * first stop records in the journal whether they were running at all (the status command), so
 * that neither the upgrade nor its rollback starts services the operator had stopped. They run as
 * the vendor's services.account ({@link ServiceAccount}), never as root.
 */
final class ServicesStep implements UpgradeStep {
    static final String WERE_RUNNING = "services-were-running";
    /** In .uplift/: read by the node gate, which lets the product start during an upgrade only while this file names its version. */
    static final String SERVICES_STARTING = "services-starting";

    private final boolean start;

    ServicesStep(boolean start) {
        this.start = start;
    }

    @Override
    public void apply(StepContext c) throws Exception {
        if (!start) {
            c.journal().factOnce(WERE_RUNNING, Boolean.toString(services(c).running()));
        }
        change(c, start);
    }

    @Override
    public void undo(StepContext c) throws Exception {
        if (!start && !c.hop().from().toString().equals(c.journal().get().from())) {
            // A rollback starts the services once, where it ends: the first hop's. A later hop's old version
            // would start against a database already restored to an earlier one, and the node gate refuses that.
            return;
        }
        change(c, !start);
    }

    private static void change(StepContext c, boolean start) throws IOException, InterruptedException {
        if ("false".equals(c.journal().get().facts().get(WERE_RUNNING))) {
            return; // they were not running before the upgrade; leave them as the operator had them
        }
        if (!start) {
            services(c).stop();
            return;
        }
        // The node gate refuses a product started in a home with an upgrade journal, except this start:
        // the marker names the version whose program files are in app/ now (see uplift-gate's UpgradeStartsServices).
        Path marker = c.installation().upliftDir().resolve(SERVICES_STARTING);
        DurableFiles.write(marker, (c.installation().state().version() + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            services(c).start();
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    private static ProductServices services(StepContext c) {
        return ProductServices.forUpgrade(c.home(), c.catalog().product().services());
    }
}
