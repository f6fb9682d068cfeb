package io.uplift.plan;

import io.uplift.api.Step;
import io.uplift.api.StepKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
    @TempDir
    Path tmp;

    private Catalog lockbox;
    private Planner planner;

    @BeforeEach
    void loadLockbox() {
        lockbox = TestCatalog.lockbox(tmp.resolve("lockbox")).load();
        planner = new Planner(lockbox);
    }

    private static Version v(String text) {
        return Version.parse(text);
    }

    private static List<String> route(Plan plan) {
        return plan.hops().stream().map(h -> h.from() + "->" + h.to()).toList();
    }

    private static List<StepKind> kinds(Hop hop) {
        return hop.steps().stream().map(Step::kind).toList();
    }

    private UpliftException planFails(Catalog catalog, String installed, String target) {
        UpliftException e = catchThrowableOfType(
                () -> new Planner(catalog).plan(v(installed), v(target), OptionalInt.of(10)), UpliftException.class);
        assertThat(e).as("planning %s -> %s must fail", installed, target).isNotNull();
        return e;
    }

    // ---- the Lockbox demo (PRODUCT.md) -----------------------------------------------------------

    @Test
    void lockboxOneToThreeStopsAtEveryRequiredStopAndMovesTheDatabaseOnlyInTheLastHop() {
        Plan plan = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10));

        assertThat(plan.installed()).isEqualTo(v("1.0"));
        assertThat(plan.target()).isEqualTo(v("3.0"));
        assertThat(plan.isEmpty()).isFalse();
        assertThat(route(plan)).containsExactly("1.0->1.1", "1.1->2.1", "2.1->3.0");

        Hop first = plan.hops().get(0);
        Hop second = plan.hops().get(1);
        Hop last = plan.hops().get(2);
        assertThat(first.databaseMove()).isEmpty();
        assertThat(second.databaseMove()).isEmpty();
        assertThat(last.databaseMove()).contains(new DatabaseMove(10, 16));
        assertThat(plan.databaseMove()).contains(new DatabaseMove(10, 16));

        assertThat(kinds(first)).doesNotContain(StepKind.MOVE_DATABASE, StepKind.ROTATE_KEYS);
        assertThat(kinds(second)).doesNotContain(StepKind.MOVE_DATABASE, StepKind.ROTATE_KEYS);
        assertThat(kinds(last)).contains(StepKind.MOVE_DATABASE, StepKind.ROTATE_KEYS, StepKind.MIGRATE_SCHEMA);

        Step move = last.steps().stream().filter(s -> s.kind() == StepKind.MOVE_DATABASE).findFirst().orElseThrow();
        assertThat(move.id()).isEqualTo("3.0/move-database");
        assertThat(move.detail()).contains("10").contains("16");
        Step rotate = last.steps().stream().filter(s -> s.kind() == StepKind.ROTATE_KEYS).findFirst().orElseThrow();
        assertThat(rotate.id()).isEqualTo("3.0/rotate-keys");
        assertThat(rotate.detail()).contains("secrets.value");
    }

    @Test
    void theDatabaseMoveComesBeforeTheMigrationsAndTheKeyRotationAfterThem() {
        Hop last = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10)).hops().get(2);
        List<StepKind> kinds = kinds(last);

        assertThat(kinds.indexOf(StepKind.MOVE_DATABASE)).isLessThan(kinds.indexOf(StepKind.MIGRATE_SCHEMA));
        assertThat(kinds.indexOf(StepKind.MIGRATE_SCHEMA)).isLessThan(kinds.indexOf(StepKind.ROTATE_KEYS));
        for (Plan plan : List.of(planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10)), planner.plan(v("1.0"), v("2.0"), OptionalInt.empty()))) {
            assertThat(kinds(plan.hops().get(0))).startsWith(StepKind.CHECKS, StepKind.MAINTENANCE_ON, StepKind.BACKUP);
            for (Hop hop : plan.hops().subList(1, plan.hops().size())) {
                assertThat(kinds(hop)).as("one check and one backup per upgrade, in its first hop")
                        .doesNotContain(StepKind.CHECKS, StepKind.BACKUP);
            }
            for (Hop hop : plan.hops()) {
                assertThat(kinds(hop)).isSortedAccordingTo(Comparator.comparingInt(Enum::ordinal))
                        .contains(StepKind.STAGE_PROGRAM_FILES, StepKind.SWAP_PROGRAM_FILES, StepKind.RECORD_VERSION)
                        .doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void issue16_aClusterNodesPlanTouchesOnlyItsHomeStopsOnceAndStartsOnce() {
        Plan full = planner.plan(v("1.0"), v("2.1"), OptionalInt.of(10));
        Plan node = full.forNode();
        List<StepKind> all = node.hops().stream().flatMap(h -> h.steps().stream()).map(Step::kind).toList();

        assertThat(node.hops()).extracting(Hop::to).isEqualTo(full.hops().stream().map(Hop::to).toList());
        assertThat(all).doesNotContain(StepKind.CHECKS, StepKind.MAINTENANCE_ON, StepKind.BACKUP, StepKind.MOVE_DATABASE,
                StepKind.MIGRATE_SCHEMA, StepKind.ROTATE_KEYS, StepKind.RECORD_VERSION, StepKind.REGISTER_TASKS, StepKind.MAINTENANCE_OFF);
        assertThat(all).endsWith(StepKind.START_SERVICES);
        assertThat(kinds(node.hops().get(0))).as("the node stops once, late in its first hop (staging needs no stop)")
                .containsSubsequence(StepKind.STAGE_PROGRAM_FILES, StepKind.STOP_SERVICES, StepKind.SWAP_PROGRAM_FILES);
        assertThat(all.stream().filter(k -> k == StepKind.STOP_SERVICES)).hasSize(1);
        assertThat(all.stream().filter(k -> k == StepKind.START_SERVICES)).hasSize(1);
        for (Hop hop : node.hops()) {
            assertThat(kinds(hop)).contains(StepKind.STAGE_PROGRAM_FILES, StepKind.SWAP_PROGRAM_FILES, StepKind.RECORD_NODE_VERSION)
                    .isSortedAccordingTo(Comparator.comparingInt(Enum::ordinal));
            assertThat(hop.steps()).allSatisfy(s -> assertThat(s.id()).startsWith(hop.to() + "/"));
        }
    }

    @Test
    void issue13_item1_maintenanceStartsBeforeTheBackupAndLastsUntilTheLastStepOfTheLastHop() {
        for (String target : List.of("1.1", "2.1", "3.0")) {
            List<Step> steps = planner.plan(v("1.0"), v(target), OptionalInt.of(10)).hops().stream()
                    .flatMap(h -> h.steps().stream()).toList();
            List<StepKind> all = steps.stream().map(Step::kind).toList();

            assertThat(all).as("to " + target).startsWith(StepKind.CHECKS, StepKind.MAINTENANCE_ON, StepKind.BACKUP)
                    .endsWith(StepKind.MAINTENANCE_OFF);
            assertThat(all.stream().filter(k -> k == StepKind.MAINTENANCE_ON)).as("to " + target + ": entered once").hasSize(1);
            assertThat(all.stream().filter(k -> k == StepKind.MAINTENANCE_OFF)).as("to " + target + ": left once, at the end").hasSize(1);
            assertThat(steps.get(steps.size() - 1).id()).isEqualTo(target + "/maintenance-off");
        }
    }

    @Test
    void aServerAlreadyOnTheNewMajorIsNotMoved() {
        Plan plan = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(16));

        assertThat(route(plan)).containsExactly("1.0->1.1", "1.1->2.1", "2.1->3.0");
        assertThat(plan.databaseMove()).isEmpty();
        assertThat(plan.hops()).allSatisfy(h -> assertThat(kinds(h)).doesNotContain(StepKind.MOVE_DATABASE));
        assertThat(kinds(plan.hops().get(2))).contains(StepKind.ROTATE_KEYS);
    }

    @Test
    void aServerInsideTheRangeButOlderThanTheMoveTargetIsNotMoved() {
        Plan plan = planner.plan(v("2.1"), v("3.0"), OptionalInt.of(14));

        assertThat(plan.databaseMove()).isEmpty();
    }

    @Test
    void aServerNewerThanTheMoveTargetIsNeverMovedDown() {
        Catalog catalog = TestCatalog.at(tmp.resolve("newer-server")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("2.0", ">=1.0", false, List.of(), "prerequisites:", "  postgresql: \">=14 <17\"",
                        "  move-database-to: 16")
                .load();

        Plan plan = new Planner(catalog).plan(v("1.0"), v("2.0"), OptionalInt.of(17));

        assertThat(plan.databaseMove()).isEmpty();
        assertThat(new Planner(catalog).plan(v("1.0"), v("2.0"), OptionalInt.of(12)).databaseMove())
                .contains(new DatabaseMove(12, 16));
    }

    @Test
    void theDatabaseMovesOnceEvenWhenLaterHopsAskForTheNewServerToo() {
        Catalog catalog = TestCatalog.at(tmp.resolve("two-moves")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("2.0", ">=1.0", true, List.of(), "prerequisites:", "  postgresql: \">=14\"",
                        "  move-database-to: 16")
                .simpleRelease("3.0", ">=2.0", false, List.of(), "prerequisites:", "  postgresql: \">=15\"",
                        "  move-database-to: 16")
                .load();

        Plan plan = new Planner(catalog).plan(v("1.0"), v("3.0"), OptionalInt.of(10));

        assertThat(route(plan)).containsExactly("1.0->2.0", "2.0->3.0");
        assertThat(plan.hops()).extracting(Hop::databaseMove)
                .containsExactly(Optional.of(new DatabaseMove(10, 16)), Optional.empty());
        assertThat(kinds(plan.hops().get(1))).doesNotContain(StepKind.MOVE_DATABASE);
    }

    @Test
    void anUnknownServerVersionPlansNoMove() {
        Plan plan = planner.plan(v("1.0"), v("3.0"), OptionalInt.empty());

        assertThat(route(plan)).containsExactly("1.0->1.1", "1.1->2.1", "2.1->3.0");
        assertThat(plan.databaseMove()).isEmpty();
        assertThat(plan.hops()).allSatisfy(h -> assertThat(h.databaseMove()).isEmpty());
        assertThat(kinds(plan.hops().get(2))).doesNotContain(StepKind.MOVE_DATABASE).contains(StepKind.ROTATE_KEYS);
    }

    @Test
    void fromARequiredStopToTheNextReleaseIsOneHop() {
        Plan plan = planner.plan(v("1.1"), v("2.0"), OptionalInt.of(10));

        assertThat(route(plan)).containsExactly("1.1->2.0");
        Hop hop = plan.hops().get(0);
        assertThat(hop.databaseMove()).isEmpty();
        assertThat(hop.steps()).extracting(Step::id).contains("2.0/register-tasks", "2.0/migrate-schema");
        Step tasks = hop.steps().stream().filter(s -> s.kind() == StepKind.REGISTER_TASKS).findFirst().orElseThrow();
        assertThat(tasks.detail()).contains("update-taxonomies").contains("review-tokens");
    }

    @Test
    void oneToTwoGoesThroughTheRequiredStop() {
        Plan plan = planner.plan(v("1.0"), v("2.0"), OptionalInt.of(10));

        assertThat(route(plan)).containsExactly("1.0->1.1", "1.1->2.0");
    }

    @Test
    void theSameVersionGivesAnEmptyPlan() {
        Plan plan = planner.plan(v("2.0"), v("2.0.0"), OptionalInt.of(10));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.hops()).isEmpty();
        assertThat(plan.databaseMove()).isEmpty();
    }

    @Test
    void aDowngradeIsImpossible() {
        UpliftException e = planFails(lockbox, "2.1", "1.1");

        assertThat(e.code()).isEqualTo(ErrorCode.PLAN_IMPOSSIBLE);
        assertThat(e.getMessage()).contains("does not downgrade").contains("2.1").contains("1.1").contains("rollback");
    }

    @Test
    void anUnknownTargetIsImpossibleAndTheMessageListsTheKnownVersions() {
        UpliftException e = planFails(lockbox, "1.0", "4.0");

        assertThat(e.code()).isEqualTo(ErrorCode.PLAN_IMPOSSIBLE);
        assertThat(e.getMessage()).contains("4.0").contains("1.0, 1.1, 2.0, 2.1, 3.0");
    }

    @Test
    void anUnknownInstalledVersionMeansTheInstallationIsInvalid() {
        UpliftException e = planFails(lockbox, "1.5", "3.0");

        assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);
        assertThat(e.getMessage()).contains("1.5").contains("1.0, 1.1, 2.0, 2.1, 3.0").contains("--catalog");
    }

    @Test
    void aTargetWithoutAPathIsImpossibleAndTheMessageExplainsTheRangeAndWhatIsReachable() {
        Catalog catalog = TestCatalog.lockbox(tmp.resolve("gap"))
                .simpleRelease("3.0", ">=2.5", false, List.of())
                .load();

        UpliftException e = planFails(catalog, "1.0", "3.0");

        assertThat(e.code()).isEqualTo(ErrorCode.PLAN_IMPOSSIBLE);
        assertThat(e.getMessage()).contains("no upgrade path from 1.0 to 3.0").contains("'>=2.5'")
                .contains("can reach 1.1, 2.0, 2.1");
    }

    @Test
    void aReleaseThatRequiresASteppingStoneIsReachedOnlyThroughIt() {
        Catalog catalog = TestCatalog.at(tmp.resolve("requires")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("1.1", ">=1.0", false, List.of())
                .simpleRelease("2.0", ">=1.0", false, List.of("1.1"))
                .load();

        assertThat(route(new Planner(catalog).plan(v("1.0"), v("2.0"), OptionalInt.empty()))).containsExactly("1.0->1.1", "1.1->2.0");
        assertThat(new Planner(catalog).canHop(v("1.0"), catalog.release(v("2.0")).orElseThrow())).isFalse();
        assertThat(new Planner(catalog).canHop(v("1.1"), catalog.release(v("2.0")).orElseThrow())).isTrue();
    }

    @Test
    void aHopMayNotSkipARequiredStopEvenIfTheRangeAllowsIt() {
        // 2.1 installs over >=1.1 but 3.0 installs over anything: the required stop 2.1 still may not be skipped.
        Catalog catalog = TestCatalog.lockbox(tmp.resolve("wide"))
                .simpleRelease("3.0", "*", false, List.of())
                .load();

        assertThat(route(new Planner(catalog).plan(v("1.1"), v("3.0"), OptionalInt.empty()))).containsExactly("1.1->2.1", "2.1->3.0");
        assertThat(route(new Planner(catalog).plan(v("2.0"), v("3.0"), OptionalInt.empty()))).containsExactly("2.0->2.1", "2.1->3.0");
    }

    @Test
    void amongEquallyShortPathsTheNewerStopsAreChosen() {
        Catalog catalog = TestCatalog.at(tmp.resolve("choice")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("1.2", ">=1.0", false, List.of())
                .simpleRelease("1.9", ">=1.0", false, List.of())
                .simpleRelease("1.10", ">=1.0", false, List.of())
                .simpleRelease("2.0", ">=1.2 <2.0", false, List.of())
                .load();

        Plan plan = new Planner(catalog).plan(v("1.0"), v("2.0"), OptionalInt.empty());

        // 1.2, 1.9 and 1.10 are all one hop from 1.0 and one hop from 2.0; 1.10 is the newest (numerically).
        assertThat(route(plan)).containsExactly("1.0->1.10", "1.10->2.0");
    }

    @Test
    void aDirectHopIsPreferredToAnyDetour() {
        Catalog catalog = TestCatalog.at(tmp.resolve("direct")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("1.5", ">=1.0", false, List.of())
                .simpleRelease("2.0", ">=1.0", false, List.of())
                .load();

        assertThat(route(new Planner(catalog).plan(v("1.0"), v("2.0"), OptionalInt.empty()))).containsExactly("1.0->2.0");
    }

    @Test
    void stepIdsAreStableAcrossRunsAndUniqueInAPlan() {
        Plan once = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10));
        Plan again = new Planner(TestCatalog.lockbox(tmp.resolve("again")).load()).plan(v("1.0"), v("3.0"), OptionalInt.of(10));

        List<String> ids = once.hops().stream().flatMap(h -> h.steps().stream()).map(Step::id).toList();
        List<String> idsAgain = again.hops().stream().flatMap(h -> h.steps().stream()).map(Step::id).toList();
        assertThat(ids).isEqualTo(idsAgain).doesNotHaveDuplicates()
                .contains("1.1/migrate-schema", "2.1/migrate-schema", "3.0/migrate-schema", "3.0/move-database",
                        "3.0/rotate-keys", "2.1/stage-program-files", "1.1/checks");
        for (Hop hop : once.hops()) {
            assertThat(hop.steps()).allSatisfy(s -> {
                assertThat(s.id()).startsWith(hop.to() + "/").matches("[0-9.]+/[a-z-]+");
                assertThat(s.id()).endsWith("/" + s.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                assertThat(s.title()).isEqualTo(s.kind().title());
            });
        }
    }

    @Test
    void theShippedLockboxExamplePlansOneToThreeAsProductMdPromises() {
        Path shipped = Path.of("examples/lockbox/catalog");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(shipped), "run from the project folder");

        Plan plan = new Planner(io.uplift.catalog.CatalogLoader.load(shipped)).plan(v("1.0"), v("3.0"), OptionalInt.of(10));

        assertThat(route(plan)).containsExactly("1.0->1.1", "1.1->2.1", "2.1->3.0");
        assertThat(plan.hops()).extracting(Hop::databaseMove)
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(new DatabaseMove(10, 16)));
    }

    // ---- property-style: generated catalogs ------------------------------------------------------

    /** The rule of docs/catalog.md, written out independently of the planner. */
    private static boolean legal(Catalog catalog, Version a, Version b) {
        Release release = catalog.release(b).orElseThrow();
        if (b.compareTo(a) <= 0 || !release.upgradeFrom().contains(a)) {
            return false;
        }
        for (Version r : release.requires()) {
            if (r.compareTo(a) > 0) {
                return false;
            }
        }
        for (Release between : catalog.releases().values()) {
            if (between.requiredStop() && between.version().compareTo(a) > 0 && between.version().compareTo(b) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Fewest hops from a to b by breadth-first search, or -1. */
    private static int fewestHops(Catalog catalog, Version a, Version b) {
        Map<Version, Integer> dist = new HashMap<>(Map.of(a, 0));
        Deque<Version> queue = new ArrayDeque<>(List.of(a));
        while (!queue.isEmpty()) {
            Version at = queue.poll();
            for (Version next : catalog.releases().keySet()) {
                if (!dist.containsKey(next) && legal(catalog, at, next)) {
                    dist.put(next, dist.get(at) + 1);
                    queue.add(next);
                }
            }
        }
        return dist.getOrDefault(b, -1);
    }

    /** Every legal path from a to b with exactly n hops, as lists of stops. */
    private static List<List<Version>> pathsOfLength(Catalog catalog, Version a, Version b, int n) {
        List<List<Version>> result = new ArrayList<>();
        if (n == 0) {
            if (a.equals(b)) {
                result.add(new ArrayList<>());
            }
            return result;
        }
        for (Version next : catalog.releases().keySet()) {
            if (legal(catalog, a, next) && next.compareTo(b) <= 0) {
                for (List<Version> rest : pathsOfLength(catalog, next, b, n - 1)) {
                    rest.add(0, next);
                    result.add(rest);
                }
            }
        }
        return result;
    }

    private static int newestFirst(List<Version> x, List<Version> y) {
        for (int i = 0; i < x.size(); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private Catalog generate(Random random, int index) {
        Set<Version> versions = new TreeSet<>();
        int count = 4 + random.nextInt(6);
        while (versions.size() < count) {
            versions.add(v((1 + random.nextInt(3)) + "." + random.nextInt(12)));
        }
        List<Version> ordered = new ArrayList<>(versions);
        TestCatalog catalog = TestCatalog.at(tmp.resolve("generated-" + index)).product(TestCatalog.LOCKBOX_PRODUCT);
        for (int i = 0; i < ordered.size(); i++) {
            String version = ordered.get(i).toString();
            String upgradeFrom;
            List<String> requires = new ArrayList<>();
            if (i == 0) {
                upgradeFrom = "<" + version;
            } else {
                Version low = ordered.get(random.nextInt(i));
                upgradeFrom = switch (random.nextInt(4)) {
                    case 0 -> "*";
                    case 1 -> ">" + low;
                    case 2 -> ">=" + low + " <" + version;
                    default -> ">=" + low;
                };
                if (random.nextInt(5) == 0) {
                    requires.add(ordered.get(random.nextInt(i)).toString());
                }
            }
            catalog.simpleRelease(version, upgradeFrom, i > 0 && random.nextInt(4) == 0, requires);
        }
        return catalog.load();
    }

    @Test
    void inGeneratedCatalogsEveryPlanIsLegalShortestNewestAndNeverSkipsARequiredStop() {
        Random random = new Random(20240601L);
        int plansChecked = 0;
        int impossibleChecked = 0;
        for (int c = 0; c < 40; c++) {
            Catalog catalog = generate(random, c);
            Planner generatedPlanner = new Planner(catalog);
            List<Version> versions = new ArrayList<>(catalog.releases().keySet());
            for (Version installed : versions) {
                for (Version target : versions) {
                    if (target.compareTo(installed) <= 0) {
                        continue;
                    }
                    String where = "catalog " + c + " " + describe(catalog) + ", plan " + installed + " -> " + target;
                    int fewest = fewestHops(catalog, installed, target);
                    if (fewest < 0) {
                        UpliftException e = catchThrowableOfType(
                                () -> generatedPlanner.plan(installed, target, OptionalInt.empty()), UpliftException.class);
                        assertThat(e).as(where + " has no path and must fail").isNotNull();
                        assertThat(e.code()).as(where).isEqualTo(ErrorCode.PLAN_IMPOSSIBLE);
                        impossibleChecked++;
                        continue;
                    }
                    Plan plan = generatedPlanner.plan(installed, target, OptionalInt.empty());
                    plansChecked++;

                    assertThat(plan.hops()).as(where).hasSize(fewest);
                    Version at = installed;
                    Set<Version> stops = new HashSet<>();
                    for (Hop hop : plan.hops()) {
                        assertThat(hop.from()).as(where).isEqualTo(at);
                        assertThat(legal(catalog, hop.from(), hop.to())).as(where + ": hop " + hop.from() + " -> " + hop.to()).isTrue();
                        stops.add(hop.to());
                        at = hop.to();
                    }
                    assertThat(at).as(where).isEqualTo(target);
                    for (Release r : catalog.releases().subMap(installed, false, target, false).values()) {
                        if (r.requiredStop()) {
                            assertThat(stops).as(where + ": required stop " + r.version()).contains(r.version());
                        }
                    }
                    List<Version> chosen = plan.hops().stream().map(Hop::to).toList();
                    List<Version> best = pathsOfLength(catalog, installed, target, fewest).stream()
                            .max(PlannerTest::newestFirst).orElseThrow();
                    assertThat(chosen).as(where + ": newest among the shortest").isEqualTo(best);
                }
            }
        }
        assertThat(plansChecked).isGreaterThan(100);
        assertThat(impossibleChecked).isGreaterThan(10);
    }

    private static String describe(Catalog catalog) {
        StringBuilder text = new StringBuilder("[");
        for (Release r : catalog.releases().values()) {
            text.append(r.version()).append(" from '").append(r.upgradeFrom()).append("'");
            if (r.requiredStop()) {
                text.append(" stop");
            }
            if (!r.requires().isEmpty()) {
                text.append(" requires ").append(r.requires());
            }
            text.append("; ");
        }
        return text.append("]").toString();
    }

    @Test
    void planningReadsNothingButTheCatalogAndGivesTheSameAnswerTwice() {
        Plan first = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10));
        Plan second = planner.plan(v("1.0"), v("3.0"), OptionalInt.of(10));

        assertThat(second).isEqualTo(first);
        assertThat(first.hops()).extracting(Hop::databaseMove)
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(new DatabaseMove(10, 16)));
    }
}
