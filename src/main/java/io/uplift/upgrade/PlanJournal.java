package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.plan.Hop;
import io.uplift.plan.Plan;
import io.uplift.api.Step;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plan as the journal records it when an upgrade starts, with the checksum of its steps and the
 * releases they cover, and the check that a resume still runs against the same catalog.
 */
final class PlanJournal {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Catalog catalog;

    PlanJournal(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The journal of a new run: every step of every hop pending, in the plan's order. */
    UpgradeJournal start(String product, Plan plan, Path backupDir, Clock clock) {
        List<JournalStep> steps = new ArrayList<>();
        for (Hop hop : plan.hops()) {
            for (Step s : hop.steps()) {
                steps.add(new JournalStep(s.id(), s.kind().name(), hop.from().toString(), hop.to().toString(), StepStatus.PENDING,
                        null, null, 0, null));
            }
        }
        String now = clock.instant().toString();
        String id = ID_TIME.format(clock.instant()) + "-" + plan.installed() + "-to-" + plan.target();
        return new UpgradeJournal(id, product, plan.installed().toString(), plan.target().toString(), RunState.RUNNING,
                checksum(steps), null, false, now, now, "started", catalog.folder().toString(), backupDir.toString(), Map.of(), steps);
    }

    /** Refuses to resume when the catalog's releases, migrations or program files differ from those the run started with. */
    void requireCatalogUnchanged(Journal journal) {
        if (!checksum(journal.get().steps()).equals(journal.get().planChecksum())) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The release catalog " + catalog.folder() + " changed since the upgrade to "
                    + journal.get().target() + " started (its releases, migrations or program files differ). Put the catalog back as it was "
                    + "to resume, or run 'uplift rollback' (rollback restores from the backup and does not need the catalog unchanged).");
        }
    }

    private String checksum(List<JournalStep> steps) {
        Version from = Version.parse(steps.get(0).hopFrom());
        Version to = Version.parse(steps.get(steps.size() - 1).hopTo());
        return PlanChecksum.of(steps.stream().map(JournalStep::id).toList(),
                List.copyOf(catalog.releases().subMap(from, false, to, true).values()));
    }
}
