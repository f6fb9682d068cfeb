package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops (or starts) the product's services with the commands the vendor put in product.yaml. */
final class ServicesStep implements UpgradeStep {
    private static final long TIMEOUT_SECONDS = 120;

    private final boolean start;

    ServicesStep(boolean start) {
        this.start = start;
    }

    @Override
    public void apply(StepContext c) throws Exception {
        run(c, start);
    }

    @Override
    public void undo(StepContext c) throws Exception {
        run(c, !start);
    }

    private static void run(StepContext c, boolean start) throws IOException, InterruptedException {
        List<String> command = start ? c.catalog().product().services().start() : c.catalog().product().services().stop();
        if (command.isEmpty()) {
            return;
        }
        List<String> resolved = new java.util.ArrayList<>(command);
        if (resolved.get(0).contains("/") && !resolved.get(0).startsWith("/")) {
            resolved.set(0, c.home().resolve(resolved.get(0)).toString()); // relative to the home, not to Uplift's folder
        }
        Process p = new ProcessBuilder(resolved).directory(c.home().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' did not finish within "
                    + TIMEOUT_SECONDS + " s in " + c.home() + "; " + (start ? "start" : "stop") + " the services by hand, then run 'uplift resume'.");
        }
        if (p.exitValue() != 0) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' exited with " + p.exitValue()
                    + " in " + c.home() + ": " + new String(output, StandardCharsets.UTF_8).trim()
                    + ". Fix the cause, then run 'uplift resume' (or 'uplift rollback').");
        }
    }
}
