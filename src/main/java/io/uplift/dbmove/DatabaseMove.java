package io.uplift.dbmove;

import io.uplift.api.ValidationDifference;
import io.uplift.api.MoveResult;
import io.uplift.api.MoveListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.db.ServerVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Moves a database to another server (PostgreSQL 10 -> 16 and the like), as a list of phases.
 *
 * <pre>
 * 0. check the filters and the target, drop the source indexes (--drop-source-indexes), then export
 *    a snapshot on the source; every reader below uses it, so the copy is of one instant
 * 1. {@link PreDataPhase}: schema pre-data through pg_dump and psql, in one transaction with its done-mark
 * 2. {@link RowsPhase}: chunks copied in parallel, each chunk's rows, figures and done-record in one
 *    target transaction; a table of several chunks is read back whole once its last chunk is in
 * 3. {@link SequencesPhase}: sequence values and large objects, still in the snapshot
 * 4. {@link PostDataPhase}: indexes, constraints, triggers, foreign keys
 * 5. {@link AnalyzePhase}, 6. {@link ExportPhase} (with --export-dir), 7. {@link ValidatePhase} (unless --skip-validation)
 * </pre>
 * Killed at any point, the same move with --resume skips what is recorded as done.
 */
public final class DatabaseMove {
    /** --drop-source-indexes: what to drop, and the file its DDL goes to. */
    private record SourceDrop(SourceIndexes.Found found, Path file) {}

    private final MoveSettings settings;
    private final MoveListener listener;
    private final ChunkCopier.Tee tee;
    private final Clock clock;
    private Optional<SourceDrop> sourceDrop = Optional.empty();
    private Optional<Path> exportManifest = Optional.empty();

    public DatabaseMove(MoveSettings settings, MoveListener listener, ChunkCopier.Tee tee) {
        this(settings, listener, tee, Clock.systemUTC());
    }

    DatabaseMove(MoveSettings settings, MoveListener listener, ChunkCopier.Tee tee, Clock clock) {
        this.settings = settings;
        this.listener = listener;
        this.tee = tee;
        this.clock = clock;
    }

    /**
     * --drop-source-indexes: before the snapshot, record {@code found} as DDL in {@code file} and drop
     * those indexes on the source; the move still creates them on the target (see {@link SourceIndexes}).
     */
    public DatabaseMove dropSourceIndexes(SourceIndexes.Found found, Path file) {
        this.sourceDrop = Optional.of(new SourceDrop(found, file));
        return this;
    }

    /** The export's manifest.json after a run with --export-dir. */
    public Optional<Path> exportManifest() {
        return exportManifest;
    }

    public MoveResult run() {
        long start = System.nanoTime();
        PgTools tools = PgTools.locate(settings.pgToolsDir());
        Path work = null;
        try (Connection coordinator = MoveConnections.open(settings.source()); Connection target = MoveConnections.open(settings.target())) {
            tools.requireCanDump(ServerVersion.of(coordinator).major());
            if (MoveTarget.holdsFinishedMove(settings, target)) {
                return validateFinished(coordinator, start);
            }
            MoveExport export = settings.exportDir().<MoveExport>map(d -> ExportWriter.open(d, settings.compression(), settings.resume(), clock))
                    .orElse(MoveExport.NONE);
            // Before the snapshot: DROP INDEX would wait for the locks the copy holds. A bad filter or a
            // target the move refuses stops here, before the source loses anything or the target is written.
            Filters.resolve(coordinator, settings.filters(), Inventory.read(coordinator).tables());
            MoveTarget.prepare(settings, coordinator, target);
            List<SourceIndexes.Index> dropped = new ArrayList<>();
            for (SourceDrop drop : sourceDrop.stream().toList()) {
                listener.phase("source: recorded " + drop.found().indexes().size() + " index definitions in " + drop.file()
                        + ", dropping them on the source");
                dropped.addAll(SourceIndexes.recordAndDrop(coordinator, target, drop.found(), drop.file(), settings.source()));
            }
            String snapshot = openSnapshot(coordinator);
            Inventory inventory = Inventory.read(coordinator);
            Filters filters = Filters.resolve(coordinator, settings.filters(), inventory.tables());
            List<SourceIndexes.Index> recreate = SourceIndexes.remember(target, dropped);
            work = Files.createTempDirectory("uplift-move");
            MoveRun move = new MoveRun(settings, listener, tools, new SchemaSections(tools), coordinator, target, work, snapshot, inventory,
                    filters, recreate, export, tee, sourceDrop.map(SourceDrop::file));
            return runPhases(move, start);
        } catch (SQLException | IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The database move from " + settings.source() + " to " + settings.target()
                    + " stopped: " + e.getMessage() + ". What finished is recorded in the target; fix the cause and run the same"
                    + " command with --resume.", e);
        } finally {
            deleteQuietly(work);
        }
    }

    private MoveResult runPhases(MoveRun move, long start) throws SQLException, IOException {
        RowsPhase rows = new RowsPhase();
        SequencesPhase sequences = new SequencesPhase(rows);
        ExportPhase export = new ExportPhase(rows);
        ValidatePhase validate = new ValidatePhase(rows);
        List<MovePhase> phases = new ArrayList<>(List.of(new PreDataPhase(), rows, sequences, new PostDataPhase(rows), new AnalyzePhase(rows)));
        settings.exportDir().ifPresent(d -> phases.add(export));
        if (settings.validate()) {
            phases.add(validate);
        }
        MovePhase.runAll(phases, move);
        exportManifest = export.manifest();
        RowsPhase.Copied copied = rows.copied();
        copied.checks().abandon();
        // The tables whose count on the new server held when validation asked, so they were not read back (none without validation).
        List<String> counted = copied.checks().countHeld().stream().map(TableInfo::label).sorted().toList();
        return new MoveResult(move.inventory().tables().size(), copied.chunks().size(), copied.skipped(), copied.totals().rows(),
                copied.totals().bytes(), sequences.copied().sequences(), sequences.copied().largeObjects(), settings.validate(),
                validate.differences(), counted, Duration.ofNanos(System.nanoTime() - start));
    }

    /** A finished move drops its records: resuming it (killed after that, or run twice) only validates. */
    private MoveResult validateFinished(Connection coordinator, long start) throws SQLException {
        listener.phase("the target holds a finished move: nothing to copy, validating");
        Inventory inventory = Inventory.read(coordinator);
        int chunks = RowsPhase.planner(settings.threads()).plan(coordinator, inventory.tables()).size();
        List<ValidationDifference> differences = settings.validate() ? compareAgain() : List.of();
        return new MoveResult(inventory.tables().size(), chunks, chunks, 0, 0, 0, 0, settings.validate(), differences, List.of(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Only validation, against the target of an earlier move ('db move --validate'); each difference as its printed line. */
    public List<String> validateOnly() {
        return ValidationDifference.texts(compareAgain());
    }

    /** An independent second look: every chunk counted and summed again in both servers, and the schemas compared. */
    private List<ValidationDifference> compareAgain() {
        try (Connection source = MoveConnections.openReadOnly(settings.source()); Connection target = MoveConnections.open(settings.target())) {
            Inventory inventory = Inventory.read(source);
            Filters filters = Filters.resolve(source, settings.filters(), inventory.tables());
            List<Chunk> chunks = RowsPhase.planner(settings.threads()).plan(source, inventory.tables());
            return new MoveValidation(settings, filters, listener)
                    .compare(chunks, source, target, SourceIndexes.remembered(target), Map.of(), TableChecks::read);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Validation of " + settings.target() + " against " + settings.source()
                    + " could not run: " + e.getMessage(), e);
        }
    }

    /** A repeatable-read, read-only transaction on the coordinator and its exported snapshot, for every reader of the move. */
    private static String openSnapshot(Connection coordinator) throws SQLException {
        try (Statement st = coordinator.createStatement()) {
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        coordinator.setAutoCommit(false);
        try (Statement st = coordinator.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans /tmp in the end
        }
    }
}
