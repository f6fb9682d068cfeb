package io.uplift.upgrade;

import io.uplift.api.ServerState;
import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import io.uplift.install.ProductDatabase.Probe;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What 'uplift status' shows: version, schema, database, node-local files, pending tasks and the
 * state of an upgrade. It reads only, and works with a broken catalog or journal too, since status
 * is what an operator runs when something is wrong.
 */
public final class StatusReport {
    private final Path home;
    private final InstallationCatalog catalogs;
    private final Clock clock;

    public StatusReport(Path home, InstallationCatalog catalogs, Clock clock) {
        this.home = home;
        this.catalogs = catalogs;
        this.clock = clock;
    }

    /**
     * @param tokens the app-token summary for an installation and whether its database is reachable
     * @param keys   the state of key rotation
     */
    public StatusResult read(BiFunction<Installation, Boolean, StatusResult.Tokens> tokens, Supplier<StatusResult.Keys> keys) {
        Installation inst = Installation.open(home);
        Probe probe = new ProductDatabase(inst).probe();
        var db = probe.database();
        StatusResult.Database database = new StatusResult.Database(inst.databaseSettings().url(), db.reachable(), db.serverVersion(),
                db.error(), probe.serverState() != ServerState.NOT_MANAGED,
                probe.serverState().name().toLowerCase().replace("not_managed", "not managed"));
        return new StatusResult(home.toString(), inst.state().product(), inst.state().version(),
                db.schemaVersion().orElse(db.reachable() ? "none" : "unknown"), database, nodeLocalFiles(inst), tasks(inst),
                upgradeState(inst), tokens.apply(inst, db.reachable()), keys.get());
    }

    /** The upgrade part only: no database is asked, so the console can poll it every second. */
    public StatusResult.Upgrade upgradeOnly() {
        return upgradeState(Installation.open(home));
    }

    private List<StatusResult.NodeLocalFile> nodeLocalFiles(Installation inst) {
        List<String> declared = new ArrayList<>(inst.state().nodeLocalFiles().keySet());
        try {
            catalogs.of(inst).product().nodeLocalFiles().stream().filter(f -> !declared.contains(f)).forEach(declared::add);
        } catch (UpliftException e) {
            // status must work with a broken catalog too: it then shows the recorded files only.
        }
        return NodeLocalFiles.compare(home, declared, inst.state().nodeLocalFiles()).stream()
                .map(f -> new StatusResult.NodeLocalFile(f.path(), f.state().name().toLowerCase())).toList();
    }

    private static List<StatusResult.Task> tasks(Installation inst) {
        return inst.state().pendingTasks().stream().map(t -> new StatusResult.Task(t.release(), t.id(), t.title(), t.mode())).toList();
    }

    private StatusResult.Upgrade upgradeState(Installation inst) {
        Optional<String> holder = HomeLock.holder(inst.lockFile());
        if (holder.isPresent()) {
            return new StatusResult.Upgrade("running", "locked by " + holder.get(), UpgradeEngine.progress(home).orElse(null));
        }
        Optional<Journal> found;
        try {
            found = Journal.open(inst.journalFile(), clock);
        } catch (UpliftException e) {
            return new StatusResult.Upgrade("interrupted", e.getMessage());
        }
        return found.map(journal -> interrupted(journal.get())).orElse(new StatusResult.Upgrade("none", ""));
    }

    private StatusResult.Upgrade interrupted(UpgradeJournal j) {
        String next = j.state() == RunState.ROLLING_BACK ? "run 'uplift rollback' to finish the rollback"
                : "run 'uplift resume' to finish it or 'uplift rollback' to undo it";
        return new StatusResult.Upgrade("interrupted", "upgrade " + j.from() + " -> " + j.target() + " " + j.state().name().toLowerCase()
                + ", stopped " + stoppedAt(j) + ": " + next, UpgradeEngine.progress(home).orElse(null));
    }

    /** "in STEP (state)" for a step begun and not done, else "after LAST, before NEXT". */
    private static String stoppedAt(UpgradeJournal j) {
        return j.steps().stream().filter(s -> s.status() != StepStatus.DONE && s.status() != StepStatus.PENDING)
                .map(s -> "in " + s.id() + " (" + s.status().name().toLowerCase() + ")").findFirst()
                .orElseGet(() -> {
                    String last = j.steps().stream().filter(s -> s.status() == StepStatus.DONE).map(s -> s.id())
                            .reduce((a, b) -> b).orElse("the start");
                    return "after " + last + j.steps().stream().filter(s -> s.status() == StepStatus.PENDING).map(s -> ", before " + s.id())
                            .findFirst().orElse("");
                });
    }
}
