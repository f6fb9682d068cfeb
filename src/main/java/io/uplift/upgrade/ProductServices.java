package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Product;
import io.uplift.db.ChildEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The product's services as product.yaml declares them: its start, stop and status commands, run
 * from the home as the vendor's services.account ({@link ServiceAccount}), never as root, with a
 * login-like environment and a timeout. The upgrade's steps and the demo both start and stop the
 * services through this class.
 */
public final class ProductServices {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path home;
    private final Product.Services services;
    /** What to do once the cause of a failed command is fixed: resume the upgrade, or run the command again. */
    private final String then;

    public ProductServices(Path home, Product.Services services, String then) {
        this.home = home;
        this.services = services;
        this.then = then;
    }

    /** For the upgrade's steps: a failed command is fixed, then the upgrade resumed or rolled back. */
    static ProductServices forUpgrade(Path home, Product.Services services) {
        return new ProductServices(home, services, "run 'uplift resume' (or 'uplift rollback')");
    }

    /** Runs the start command (which waits until the service answers); fails on a non-zero exit. */
    public void start() {
        if (!services.start().isEmpty()) {
            run(services.start(), true);
        }
    }

    public void stop() {
        if (!services.stop().isEmpty()) {
            run(services.stop(), true);
        }
    }

    /** Whether the status command says the services run; true when the vendor declared none (nothing to ask). */
    public boolean running() {
        return services.status().isEmpty() || run(services.status(), false) == 0;
    }

    private int run(List<String> command, boolean mustSucceed) {
        try {
            return runOrThrow(command, mustSucceed);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Cannot run '" + String.join(" ", command) + "' in " + home + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Interrupted while '" + String.join(" ", command) + "' ran in " + home
                    + "; see to the services by hand, then " + then + ".", e);
        }
    }

    /** Runs a vendor command from the home; returns its exit code, or fails on a non-zero one when asked. */
    private int runOrThrow(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        List<String> resolved = new ArrayList<>(command);
        if (resolved.get(0).contains("/") && !resolved.get(0).startsWith("/")) {
            resolved.set(0, home.resolve(resolved.get(0)).toString()); // relative to the home, not to Uplift's folder
        }
        resolved = new ArrayList<>(ServiceAccount.commandFor(services.account(), resolved));
        // Output to a file, not a pipe: a command that hangs with the pipe open must not hang Uplift past the timeout.
        Path log = Files.createTempFile("uplift-service", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(resolved).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The vendor's script gets a login-like environment, never Uplift's secrets (UPLIFT_MASTER_KEY...).
            Process p = ChildEnvironment.forServices().applyTo(builder, Map.of()).start();
            boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8).trim();
            if (!finished) {
                p.destroyForcibly();
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' did not finish within "
                        + TIMEOUT_SECONDS + " s in " + home + "; see to the services by hand, then " + then + ".");
            }
            if (mustSucceed && p.exitValue() != 0) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "'" + String.join(" ", command) + "' exited with " + p.exitValue()
                        + " in " + home + ": " + output + ". Fix the cause, then " + then + ".");
            }
            return p.exitValue();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
