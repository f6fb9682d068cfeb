package io.uplift.plan;

import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.catalog.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Lays out the steps of the hop into one release, in the order they run. */
final class HopSteps {
    private HopSteps() {}

    /**
     * @param covered the releases this hop installs at once, oldest first, ending with its target:
     *                skipping a release runs its migrations and registers its tasks all the same
     * @param firstHop whether this hop opens the upgrade (only that one checks, enters maintenance and backs up)
     * @param lastHop whether this hop ends the upgrade (only that one leaves maintenance)
     */
    static List<Step> of(List<Release> covered, Optional<DatabaseMove> move, boolean firstHop, boolean lastHop) {
        Release release = covered.get(covered.size() - 1);
        String v = release.version().toString();
        List<Release.PostUpgradeTask> tasks = covered.stream().flatMap(r -> r.postUpgradeTasks().stream()).toList();
        String migrations = covered.stream().filter(r -> r.migrations() != null).map(r -> r.version().toString())
                .collect(Collectors.joining(", "));
        boolean rotate = covered.stream().anyMatch(Release::keyRotationRequired);
        List<Step> steps = new ArrayList<>();
        for (StepKind kind : StepKind.values()) {
            String detail = switch (kind) {
                case MOVE_DATABASE -> move.map(m -> "PostgreSQL " + m.fromMajor() + " -> " + m.toMajor()).orElse(null);
                case ROTATE_KEYS -> rotate
                        ? "re-encrypt " + release.encryptedColumns().stream().map(c -> c.table() + "." + c.column()).toList()
                        : null;
                case MIGRATE_SCHEMA -> migrations.isEmpty() ? null : "migrations of " + migrations;
                case REGISTER_TASKS -> tasks.isEmpty() ? null
                        : tasks.stream().map(Release.PostUpgradeTask::id).collect(Collectors.joining(", "));
                case STAGE_PROGRAM_FILES -> "program files of " + v;
                // One check and one backup per upgrade, before anything changes: rollback returns to that state.
                // Maintenance spans the whole upgrade, from before the backup's snapshot to the very end: a write
                // accepted between two hops (or while paused there) would be after the backup, and a rollback
                // that restores the backup would silently discard it.
                case CHECKS, BACKUP, MAINTENANCE_ON -> firstHop ? "" : null;
                case MAINTENANCE_OFF -> lastHop ? "" : null;
                case RECORD_NODE_VERSION -> null; // only in a node's plan, see Plan#forNode
                case EXPAND_SCHEMA, RECORD_ROLLING_VERSION -> null; // only in a rolling primary's plan, see Plan#forRollingPrimary
                default -> "";
            };
            if (detail != null) {
                String id = v + "/" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
                steps.add(new Step(id, kind, kind.title(), detail));
            }
        }
        return List.copyOf(steps);
    }
}
