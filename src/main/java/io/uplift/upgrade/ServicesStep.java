package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.ChildEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops (or starts) the product's services with the commands the vendor put in product.yaml. The
 * first stop records in the journal whether they were running at all (the status command), so
 * that neither the upgrade nor its rollback starts services the operator had stopped. They run as
 * the vendor's services.account ({@link ServiceAccount}), never as root.
 */
final class ServicesStep implements UpgradeStep {
    static final String WERE_RUNNING = "services-were-running";
    private static final long TIMEOUT_SECONDS = 120;

    private final boolean start;

    ServicesStep(boolean start) {
        this.start = start;
    }

    @Override
    public void apply(StepContext c) throws Exception {
        if (!start) {
            List<String> status = c.catalog().product().services().status();
            c.journal().factOnce(WERE_RUNNING, Boolean.toString(status.isEmpty() || run(c, status, false) == 0));
        }
        change(c, start);
    }

    @Override
    public void undo(StepContext c) throws Exception {
        change(c, !start);
    }

    private static void change(StepContext c, boolean start) throws IOException, InterruptedException {
        if ("false".equals(c.journal().get().facts().get(WERE_RUNNING))) {
            return; // they were not running before the upgrade; leave them as the operator had them
        }
        List<String> command = start ? c.catalog().product().services().start() : c.catalog().product().services().stop();
        if (!command.isEmpty()) {
            run(c, command, true);
        }
    }

    /** Runs a vendor command from the home; returns its exit code, or fails on a non-zero one when asked. */
    private static int run(StepContext c, List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        List<String> resolved = new ArrayList<>(command);
        if (resolved.get(0).contains("/") && !resolved.get(0).startsWith("/")) {
            resolved.set(0, c.home().resolve(resolved.get(0)).toString()); // relative to the home, not to Uplift's folder
        }
        resolved = new ArrayList<>(ServiceAccount.commandFor(c.catalog().product().services().account(), resolved));
        // Output to a file, not a pipe: a command that hangs with the pipe open must not hang Uplift past the timeout.
        Path log = Files.createTempFile("uplift-service", ".log");
        ProcessBuilder builder = new ProcessBuilder(resolved).directory(c.home().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The vendor's script gets a login-like environment, never Uplift's secrets (UPLIFT_MASTER_KEY...).
        Process p = ChildEnvironment.forServices().applyTo(builder, java.util.Map.of()).start();
        boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        byte[] output = Files.readAllBytes(log);
        Files.deleteIfExists(log);
        if (!finished) {
            p.destroyForcibly();
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' did not finish within "
                    + TIMEOUT_SECONDS + " s in " + c.home() + "; see to the services by hand, then run 'uplift resume'.");
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' exited with " + p.exitValue()
                    + " in " + c.home() + ": " + new String(output, StandardCharsets.UTF_8).trim()
                    + ". Fix the cause, then run 'uplift resume' (or 'uplift rollback').");
        }
        return p.exitValue();
    }
}
