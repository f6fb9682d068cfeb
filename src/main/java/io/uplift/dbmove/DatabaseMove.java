package io.uplift.dbmove;

import io.uplift.api.MoveResult;
import io.uplift.api.MoveListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.db.ServerVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Moves a database to another server (PostgreSQL 10 -> 16 and the like).
 *
 * <pre>
 * 1. export a snapshot on the source; every reader below uses it, so the copy is of one instant
 * 2. schema pre-data through pg_dump and psql, in one transaction with its done-mark
 * 3. rows: chunks (largest tables first, big tables split by key ranges) copied in parallel, each
 *    chunk's rows, its figures (row count and checksum as sent, and as read back for a table of
 *    one chunk) and its done-record in one target transaction; a table of several chunks is read
 *    back whole once its last chunk is in (TableChecks)
 * 4. sequence values and large objects, still in the snapshot
 * 5. post-data: each table's own indexes and constraints as soon as its rows are in, then a VACUUM (EarlyIndexes),
 *    the rest (triggers, ...) with pg_restore --jobs once all rows are in, then the foreign keys,
 *    checked side by side (ForeignKeys)
 * 6. ANALYZE, then validation: the chunks' figures compared, and the schemas
 * </pre>
 * Killed at any point, the same move with --resume skips what is recorded as done.
 */
public final class DatabaseMove {
    private static final long SPLIT_ABOVE = 64L * 1024 * 1024;
    private static final long CHUNK_BYTES = 256L * 1024 * 1024;

    private final MoveSettings settings;
    private final MoveListener listener;
    private final ChunkCopier.Tee tee;
    private SourceIndexes.Found dropIndexes;
    private Path dropIndexesFile;
    private Path exportManifest;

    public DatabaseMove(MoveSettings settings, MoveListener listener, ChunkCopier.Tee tee) {
        this.settings = settings;
        this.listener = listener;
        this.tee = tee;
    }

    /**
     * --drop-source-indexes: before the snapshot, record {@code found} as DDL in {@code file} and drop
     * those indexes on the source; the move still creates them on the target (see {@link SourceIndexes}).
     */
    public DatabaseMove dropSourceIndexes(SourceIndexes.Found found, Path file) {
        this.dropIndexes = found;
        this.dropIndexesFile = file;
        return this;
    }

    /** The export's manifest.json after a run with --export-dir. */
    public java.util.Optional<Path> exportManifest() {
        return java.util.Optional.ofNullable(exportManifest);
    }

    public MoveResult run() {
        long start = System.nanoTime();
        PgTools tools = PgTools.locate(settings.pgToolsDir());
        SchemaSections sections = new SchemaSections(tools);
        Path work = null;
        try (Connection coordinator = MoveConnections.open(settings.source()); Connection target = MoveConnections.open(settings.target())) {
            tools.requireCanDump(ServerVersion.of(coordinator).major());
            if (settings.resume() && !MoveProgress.exists(target) && userObjects(target) > 0) {
                // A finished move drops its records: resuming it (killed after that, or run twice) only validates.
                listener.phase("the target holds a finished move: nothing to copy, validating");
                Inventory inventory = Inventory.read(coordinator);
                int chunks = new ChunkPlanner(SPLIT_ABOVE, CHUNK_BYTES, settings.threads()).plan(coordinator, inventory.tables()).size();
                List<String> differences = settings.validate() ? validateOnly() : List.of();
                return new MoveResult(inventory.tables().size(), chunks, chunks, 0, 0, 0, 0, settings.validate(), differences,
                        Duration.ofNanos(System.nanoTime() - start));
            }
            ExportWriter export = settings.exportDir().map(d -> ExportWriter.open(d, settings.compression(), settings.resume())).orElse(null);
            List<SourceIndexes.Index> dropped = List.of();
            boolean prepared = false;
            if (dropIndexes != null) {
                // Before the snapshot: DROP INDEX would wait for the locks the copy holds. A bad filter or a
                // target the move refuses stops here, before the source loses anything.
                Filters.resolve(coordinator, settings.filters(), Inventory.read(coordinator).tables());
                prepareTarget(coordinator, target);
                prepared = true;
                listener.phase("source: recorded " + dropIndexes.indexes().size() + " index definitions in " + dropIndexesFile
                        + ", dropping them on the source");
                dropped = SourceIndexes.recordAndDrop(coordinator, target, dropIndexes, dropIndexesFile, settings.source());
            }
            try (Statement st = coordinator.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            coordinator.setAutoCommit(false);
            String snapshot = exportSnapshot(coordinator);
            Inventory inventory = Inventory.read(coordinator);
            Filters filters = Filters.resolve(coordinator, settings.filters(), inventory.tables());
            if (!prepared) {
                prepareTarget(coordinator, target);
            }
            List<SourceIndexes.Index> recreate = SourceIndexes.remember(target, dropped);
            work = Files.createTempDirectory("uplift-move");
            if (!MoveProgress.phaseDone(target, "pre-data")) {
                listener.phase("schema: pre-data (pg_dump " + tools.version() + ")");
                Path pre = work.resolve("pre-data.sql");
                sections.dumpPreData(settings.source(), snapshot, pre);
                if (export != null) {
                    export.preData(pre);
                }
                // The done-mark goes into the same psql transaction: the schema is there exactly when it says so.
                Files.writeString(pre, "\nINSERT INTO " + MoveProgress.SCHEMA + ".phase (name) VALUES ('pre-data');\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                sections.applyPlain(settings.target(), pre);
            }
            Path post = work.resolve("post-data.dump");
            sections.dumpPostData(settings.source(), snapshot, post);
            lockTablesCutByBlocks(coordinator, inventory.tables());
            List<Chunk> chunks = MoveProgress.plan(target,
                    new ChunkPlanner(SPLIT_ABOVE, CHUNK_BYTES, settings.threads()).plan(coordinator, inventory.tables()), inventory.tables());
            Set<String> done = MoveProgress.doneChunks(target);
            List<Chunk> todo = chunks.stream().filter(c -> !done.contains(c.id())).toList();
            listener.phase("rows: " + todo.size() + " of " + chunks.size() + " chunks of " + inventory.tables().size() + " tables, "
                    + settings.threads() + (settings.threads() == 1 ? " thread" : " threads"));
            String postList = sections.list(post);
            Map<String, ForeignKeys.Key> foreignKeys = ForeignKeys.read(coordinator);
            EarlyIndexes early = MoveProgress.phaseDone(target, "post-data") ? null
                    : EarlyIndexes.plan(listener, postList, coordinator, inventory.tables(), sections, settings.target(), post, work, settings.threads());
            MoveListener copyListener = early == null ? listener : early;
            List<TableInfo> readWhole = settings.validate()
                    ? chunks.stream().filter(TableChecks::checkedWhole).map(Chunk::table).distinct().toList() : List.of();
            TableChecks checks = new TableChecks(copyListener, settings.target(), settings.threads(), readWhole).after(early);
            ParallelCopy.Totals totals;
            try {
                totals = new ParallelCopy(settings, snapshot, filters, export == null ? tee : export.after(tee), checks)
                        .run(todo, inventory.totalBytes());
            } catch (RuntimeException e) {
                if (early != null) {
                    early.abandon();
                }
                checks.abandon();
                throw e;
            }
            listener.phase("sequences and large objects");
            int sequences = SequencesAndObjects.copySequences(coordinator, target, inventory.sequences());
            long objects = SequencesAndObjects.copyLargeObjects(coordinator, target);
            if (export != null) {
                export.backfill(chunks, settings, snapshot, filters, listener);
                if (!export.hasPreData()) {
                    export.dumpPreData(sections, settings.source(), snapshot);
                }
                export.sequences(coordinator, inventory.sequences());
                export.largeObjects(coordinator);
            }
            coordinator.commit(); // the snapshot is no longer needed
            if (!MoveProgress.phaseDone(target, "post-data")) {
                listener.phase("schema: post-data (indexes, constraints, triggers; " + settings.threads() + " jobs)");
                Path list = work.resolve("post-data.list");
                if (early != null) {
                    early.finish(); // the tables' own indexes, built as each table's rows were in
                }
                // Foreign keys are taken out of the whole list, so that one added NOT VALID by a killed run is validated now.
                ForeignKeys.Split keys = ForeignKeys.split(postList, foreignKeys);
                Files.writeString(list, PostDataList.stillToRestore(keys.rest(), target));
                sections.restore(settings.target(), post, list, settings.threads());
                ForeignKeys.build(settings.target(), keys.keys(), settings.threads());
                SourceIndexes.createOnTarget(target, recreate);
                MoveProgress.markPhase(target, "post-data");
            }
            listener.phase("ANALYZE");
            analyzeRest(target, early == null ? Set.of() : early.analyzed());
            if (export != null) {
                export.postData(tools, post, SourceIndexes.statements(recreate));
                exportManifest = export.writeManifest(target, chunks, ServerVersion.of(coordinator).text(), settings.source().database(),
                        tools.version(), dropIndexesFile != null && dropIndexesFile.startsWith(export.dir())
                                ? java.util.Optional.of(dropIndexesFile) : java.util.Optional.empty());
                listener.phase("export: " + chunks.size() + " data files and " + ExportManifest.FILE + " in " + export.dir());
            }
            List<String> differences = List.of();
            if (settings.validate()) {
                int whole = readWhole.size();
                listener.phase("validation: the row counts and checksums of " + chunks.size() + " chunks taken as they were copied"
                        + (whole == 0 ? "" : ", against " + whole + (whole == 1 ? " table" : " tables") + " read back whole") + ", the schema");
                differences = validate(chunks, filters, coordinator, target, recreate, checks);
                if (differences.isEmpty()) {
                    MoveProgress.drop(target);
                }
            }
            checks.abandon();
            return new MoveResult(inventory.tables().size(), chunks.size(), chunks.size() - todo.size(), totals.rows(), totals.bytes(),
                    sequences, objects, settings.validate(), differences, Duration.ofNanos(System.nanoTime() - start));
        } catch (SQLException | IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The database move from " + settings.source() + " to " + settings.target()
                    + " stopped: " + e.getMessage() + ". What finished is recorded in the target; fix the cause and run the same"
                    + " command with --resume.", e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Only validation, against the target of an earlier move ('db move --validate'). */
    public List<String> validateOnly() {
        try (Connection source = MoveConnections.openReadOnly(settings.source()); Connection target = MoveConnections.open(settings.target())) {
            Inventory inventory = Inventory.read(source);
            Filters filters = Filters.resolve(source, settings.filters(), inventory.tables());
            List<Chunk> chunks = new ChunkPlanner(SPLIT_ABOVE, CHUNK_BYTES, settings.threads()).plan(source, inventory.tables());
            // An independent second look: every chunk counted and summed again in both servers.
            return validate(chunks, filters, source, target, SourceIndexes.remembered(target), null);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Validation of " + settings.target() + " against " + settings.source()
                    + " could not run: " + e.getMessage(), e);
        }
    }

    private List<String> validate(List<Chunk> chunks, Filters filters, Connection source, Connection target,
            List<SourceIndexes.Index> dropped, TableChecks tableChecks) throws SQLException {
        // Chunks checked as they were copied only need their recorded figures compared; the others (copied by a
        // move with --skip-validation, or by an Uplift from before the check) are counted and summed in both servers.
        Map<String, ChunkCopier.Figures> checked = tableChecks != null && MoveProgress.exists(target) ? MoveProgress.checkedChunks(target) : Map.of();
        List<String> differences = new ArrayList<>();
        List<Chunk> unchecked = new ArrayList<>();
        Map<TableInfo, List<Chunk>> wholeTables = new java.util.LinkedHashMap<>();
        for (Chunk c : chunks) {
            ChunkCopier.Figures f = checked.get(c.id());
            if (c.physical() || TableChecks.checkedWhole(c)) {
                wholeTables.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c);
            } else if (f == null || f.target() == null) {
                unchecked.add(c);
            } else if (!f.source().equals(f.target())) {
                differences.add(new Validator.Difference(c.id(), Validator.Figures.parse(f.source()), Validator.Figures.parse(f.target())).toString());
            }
        }
        for (Map.Entry<TableInfo, List<Chunk>> e : wholeTables.entrySet()) {
            // The chunks' figures as sent add up to the table's, taken once on the target (TableChecks).
            List<ChunkCopier.Figures> parts = e.getValue().stream().map(c -> checked.get(c.id())).toList();
            String form = ChunkCopier.checkFormOf(e.getKey());
            // A chunk summed in another form (recorded by an earlier Uplift, then resumed) cannot be added to the others.
            if (parts.stream().anyMatch(f -> f == null || !java.util.Objects.equals(f.form(), form))) {
                unchecked.addAll(e.getValue()); // counted and summed on both servers, see ParallelValidation
                continue;
            }
            String sent = parts.stream().map(ChunkCopier.Figures::source).reduce(RowChecksum::add).orElseThrow();
            String stored = tableChecks == null ? TableChecks.read(target, e.getKey()) : tableChecks.figure(target, e.getKey());
            if (!sent.equals(stored)) {
                String ranges = e.getValue().get(0).physical() ? " block ranges)" : " key ranges)";
                differences.add(new Validator.Difference(e.getKey().label() + " (" + parts.size() + ranges,
                        Validator.Figures.parse(sent), Validator.Figures.parse(stored)).toString());
            }
        }
        if (!unchecked.isEmpty()) {
            listener.phase("validation: counting and summing " + unchecked.size() + " chunks on both servers");
            differences.addAll(new ParallelValidation(settings, filters).run(unchecked));
        }
        TreeSet<String> sourceSchema = SchemaFingerprint.of(source);
        dropped.forEach(i -> sourceSchema.add("index " + i.fingerprint())); // dropped on the source, expected on the target
        TreeSet<String> targetSchema = SchemaFingerprint.of(target);
        SchemaFingerprint.diff(sourceSchema, targetSchema).forEach(d -> differences.add("schema " + d));
        java.util.Collections.sort(differences);
        return differences;
    }

    /**
     * Block (ctid) ranges hold only while no rewrite (VACUUM FULL, CLUSTER, ALTER TABLE) moves rows:
     * the coordinator's transaction keeps those tables locked against it until the rows are copied.
     */
    private static void lockTablesCutByBlocks(Connection coordinator, List<TableInfo> tables) throws SQLException {
        List<String> names = tables.stream().filter(t -> t.intKey() == null && t.bytes() > SPLIT_ABOVE).map(TableInfo::qualified).toList();
        if (!names.isEmpty()) {
            try (Statement st = coordinator.createStatement()) {
                st.execute("LOCK TABLE " + String.join(", ", names) + " IN ACCESS SHARE MODE");
            }
        }
    }

    private static String exportSnapshot(Connection coordinator) throws SQLException {
        try (Statement st = coordinator.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A fresh move needs an empty target; a resumed one needs the target of a move from this same source. */
    private void prepareTarget(Connection source, Connection target) throws SQLException {
        String sourceId;
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT system_identifier::text || '/' || current_database() FROM pg_control_system()")) {
            rs.next();
            sourceId = rs.getString(1);
        }
        boolean started = MoveProgress.exists(target);
        if (!settings.resume()) {
            long objects = userObjects(target);
            if (objects > 0 || started) {
                throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + settings.target() + " is not empty (" + objects
                        + " tables, views or sequences" + (started ? ", and an earlier move's records" : "") + "). A move writes only into an"
                        + " empty database: create a new one, or pass --resume to finish an earlier move into this one.");
            }
        } else if (started && !sourceId.equals(MoveProgress.source(target))) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + settings.target() + " holds an earlier move from another"
                    + " source database (" + MoveProgress.source(target) + "), not from " + settings.source() + "; --resume cannot mix them.");
        }
        target.setAutoCommit(true);
        MoveProgress.create(target, sourceId);
    }

    /**
     * ANALYZE of every table, partitioned table and materialized view that EarlyIndexes did not
     * analyze already (tables with nothing to build, partitioned parents, all of them on a resume
     * after the post-data phase).
     */
    private static void analyzeRest(Connection target, Set<String> analyzed) throws SQLException {
        List<String> rest = new ArrayList<>();
        try (Statement st = target.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'm') AND " + Inventory.SYSTEM_SCHEMAS)) {
            while (rs.next()) {
                String name = TableInfo.qualified(rs.getString(1), rs.getString(2));
                if (!analyzed.contains(name)) {
                    rest.add(name);
                }
            }
        }
        if (!rest.isEmpty()) {
            try (Statement st = target.createStatement()) {
                st.execute("ANALYZE " + String.join(", ", rest));
            }
        }
    }

    private static long userObjects(Connection target) throws SQLException {
        try (Statement st = target.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + Inventory.SYSTEM_SCHEMAS)) {
            rs.next();
            return rs.getLong(1);
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
