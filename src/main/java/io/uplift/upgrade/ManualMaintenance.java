package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.MaintenanceState;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maintenance mode by the operator's hand ('uplift maintenance on|off', the console's switch), the
 * same {@link MaintenanceMode} an upgrade enters. Outside an upgrade only: it takes the home lock
 * and refuses while an upgrade's journal exists ({@link ChangeLock}), since an interrupted upgrade
 * owns maintenance mode until its resume or rollback ends it. It also takes the database's upgrade
 * lock, so that an upgrade on another node sharing the database is not switched under its feet.
 */
public final class ManualMaintenance {
    /** The flag file's one line, as {@link MaintenanceMode#enter} writes it: "since INSTANT: REASON". */
    private static final Pattern FLAG_LINE = Pattern.compile("since (\\S+?): (.*)", Pattern.DOTALL);
    private static final String DEFAULT_REASON = "turned on by an operator";

    private final Path home;

    public ManualMaintenance(Path home) {
        this.home = home;
    }

    /** Whether maintenance mode is on, since when and why, as the flag file says; reads only. */
    public MaintenanceState state() {
        Path flag = home.resolve(MaintenanceMode.FLAG);
        if (!Files.exists(flag, LinkOption.NOFOLLOW_LINKS)) {
            return new MaintenanceState(false, null, "", 0);
        }
        String text = "";
        if (Files.isRegularFile(flag, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(flag, LinkOption.NOFOLLOW_LINKS)) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                text = ""; // removed meanwhile, or unreadable: it is on, reason unknown
            }
        }
        Matcher m = FLAG_LINE.matcher(text);
        return m.matches() ? new MaintenanceState(true, m.group(1), m.group(2), 0) : new MaintenanceState(true, null, text, 0);
    }

    /**
     * Turns maintenance mode on (ending the product's open sessions, which reconnect read-only) or off.
     * Refused with LOCKED while another command holds the home or an upgrade is unfinished.
     */
    public MaintenanceState set(boolean on, String reason) {
        Installation inst = Installation.open(home);
        String command = "uplift maintenance " + (on ? "on" : "off");
        try (HomeLock lock = ChangeLock.take(inst, command)) {
            new ProductDatabase(inst).ensureRunning();
            DatabaseSettings db = inst.databaseSettings();
            try (DatabaseLock dbLock = DatabaseLock.acquire(db)) {
                if (!on) {
                    MaintenanceMode.leave(home, db);
                    return state();
                }
                String why = reason == null || reason.isBlank() ? DEFAULT_REASON : reason.strip().replaceAll("\\s+", " ");
                int ended = MaintenanceMode.enter(home, db, why, inst.state().product() + " is in maintenance (" + why
                        + "); changes are refused until an operator runs 'uplift maintenance off'");
                MaintenanceState now = state();
                return new MaintenanceState(true, now.since(), now.reason(), ended);
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write the maintenance flag " + home.resolve(MaintenanceMode.FLAG)
                    + ": " + e.getMessage() + ". Check that " + home.resolve(".uplift") + " is writable, then run '" + command + "' again.", e);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Turning maintenance mode " + (on ? "on" : "off") + " failed in "
                    + inst.databaseSettings().url() + ": " + e.getMessage() + ". Run '" + command + "' again once the database is reachable.", e);
        }
    }
}
