package io.uplift.keys;

import io.uplift.api.ErrorCode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationRequest;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
import io.uplift.api.KeysetProtection;
import io.uplift.api.MasterKeyTarget;
import io.uplift.api.RotationListener;
import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The 'uplift keys' verbs of one installation: status, rotate and retire. Rotation and retirement
 * run under the home lock and never beside an upgrade (whose resume or rollback relies on the
 * keyset as the upgrade left it); the refusals come before anything is asked or changed.
 */
public final class InstallationKeys {
    private final Path home;
    private final Function<Installation, Catalog> catalog;
    private final Clock clock;
    private final KeyLocks locks;

    /** @param catalog the release catalog of an installation (the one given, or the one it records) */
    public InstallationKeys(Path home, Function<Installation, Catalog> catalog, Clock clock, KeyLocks locks) {
        this.home = home;
        this.catalog = catalog;
        this.clock = clock;
        this.locks = locks;
    }

    /** The keys of the keyset, their state and the values under each ('uplift keys status'); changes nothing. */
    public KeysStatus status() {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        return new KeyInventory(home, installedRelease(inst).encryptedColumns(), connections(inst)).status();
    }

    /** The rotation line of 'uplift status'; never throws, since status must work with a damaged state file too. */
    public StatusResult.Keys state() {
        try {
            RotationState s = RotationState.read(home);
            return new StatusResult.Keys(s.inProgress().map(r -> "unfinished (new primary key " + r.newPrimaryKeyId()
                    + "): run 'uplift keys rotate' to finish it").orElse("none"),
                    s.retiring().stream().map(r -> new KeyRotationResult.RetiringKey(r.keyId(), r.until())).toList());
        } catch (UpliftException e) {
            return new StatusResult.Keys(e.getMessage(), List.of());
        }
    }

    /**
     * Refuses, before any question is asked, what would make 'uplift keys rotate' or 'keys retire'
     * fail at once: the lock held, an upgrade under way, a catalog without usable encrypted columns.
     */
    public void checkChange(String command) {
        Installation inst = Installation.open(home);
        HomeLock.holder(inst.lockFile()).ifPresent(holder -> {
            throw new UpliftException(ErrorCode.LOCKED, "Another Uplift command is working on this installation: " + holder
                    + ". Wait for it to finish ('" + command + "' refuses to run beside it); the lock frees itself if that process dies.");
        });
        refuseUpgradeInProgress(inst, command);
        RotatableColumns.of(installedRelease(inst));
    }

    /**
     * 'uplift keys rotate': a new primary key, every encrypted value re-encrypted under it and
     * verified, the old keys retiring after the grace; an interrupted rotation goes on with its key.
     * See {@link KeyRotation}.
     */
    public KeyRotationResult rotate(KeyRotationRequest request, RotationListener listener) {
        Installation inst = Installation.open(home);
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift keys rotate")) {
            refuseUpgradeInProgress(inst, "uplift keys rotate");
            var columns = RotatableColumns.of(installedRelease(inst));
            new ProductDatabase(inst).ensureRunning();
            try (KeyLocks.Held dbLock = locks.database(inst.databaseSettings())) {
                return new KeyRotation(home, columns, connections(inst), clock, request.threads(), request.batchRows())
                        .rotate(request.grace(), listener);
            }
        }
    }

    /** The retiring keys 'uplift keys retire' would disable now (all of them with {@code now}). */
    public List<Long> dueForRetirement(boolean now) {
        Installation inst = Installation.open(home);
        return new KeyRetirement(home, installedRelease(inst).encryptedColumns(), connections(inst), clock).due(now);
    }

    /** 'uplift keys retire': disables the retiring keys whose grace has passed and that no value is under. */
    public KeyRetirementResult retire(boolean now) {
        Installation inst = Installation.open(home);
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift keys retire")) {
            refuseUpgradeInProgress(inst, "uplift keys retire");
            var columns = RotatableColumns.of(installedRelease(inst));
            new ProductDatabase(inst).ensureRunning();
            return new KeyRetirement(home, columns, connections(inst), clock).retire(now);
        }
    }

    /** Seals the keyset with another master key ('uplift keys protect'); see {@link KeysetProtect}. */
    public KeysetProtection protect(MasterKeyTarget target, KeyEnvironment env) {
        return new KeysetProtect(home, locks).run(MasterKeySource.of(target), env);
    }

    private static void refuseUpgradeInProgress(Installation inst, String command) {
        if (Files.exists(inst.journalFile())) {
            throw new UpliftException(ErrorCode.LOCKED, "An upgrade is under way or was interrupted (" + inst.journalFile() + "), and '"
                    + command + "' would change the keyset under it. Finish it with 'uplift resume' or undo it with 'uplift rollback'"
                    + " first; nothing was changed.");
        }
    }

    private Release installedRelease(Installation inst) {
        Catalog c = catalog.apply(inst);
        return c.release(Version.parse(inst.state().version())).orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "The catalog " + c.folder() + " has no release " + inst.state().version() + ", the installed version, so the"
                        + " encrypted columns are unknown. Pass the vendor's catalog with --catalog DIR."));
    }

    private static Connections connections(Installation inst) {
        DatabaseSettings db = inst.databaseSettings();
        return () -> Jdbc.connect(db.url(), db.user(), db.password());
    }
}
