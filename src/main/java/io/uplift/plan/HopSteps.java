package io.uplift.plan;

import io.uplift.catalog.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Lays out the steps of the hop into one release, in the order they run. */
final class HopSteps {
    private HopSteps() {}

    static List<Step> of(Release release, Optional<DatabaseMove> move) {
        String v = release.version().toString();
        List<Step> steps = new ArrayList<>();
        for (StepKind kind : StepKind.values()) {
            String detail = switch (kind) {
                case MOVE_DATABASE -> move.map(m -> "PostgreSQL " + m.fromMajor() + " -> " + m.toMajor()).orElse(null);
                case ROTATE_KEYS -> release.keyRotationRequired()
                        ? "re-encrypt " + release.encryptedColumns().stream().map(c -> c.table() + "." + c.column()).toList()
                        : null;
                case MIGRATE_SCHEMA -> release.migrations() == null ? null : "migrations of " + v;
                case REGISTER_TASKS -> release.postUpgradeTasks().isEmpty() ? null
                        : release.postUpgradeTasks().stream().map(Release.PostUpgradeTask::id).toList().toString();
                case STAGE_PROGRAM_FILES -> "program files of " + v;
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
