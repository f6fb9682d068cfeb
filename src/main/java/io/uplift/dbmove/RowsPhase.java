package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rows: chunks (largest tables first, big tables split by key or block ranges) copied in
 * parallel, skipping those an earlier run recorded as done. Plans what the later phases use: the
 * chunks, the post-data dump and its list, the foreign keys, the early index builds (unless
 * post-data is done already) and the whole-table checks.
 */
final class RowsPhase implements MovePhase {
    static final long SPLIT_ABOVE = 64L * 1024 * 1024;
    static final long CHUNK_BYTES = 256L * 1024 * 1024;

    /** What the copy planned and did; the later phases read it. */
    record Copied(List<Chunk> chunks, int skipped, Path postDump, String postList, Map<String, ForeignKeys.Key> foreignKeys,
            Optional<EarlyIndexes> early, TableChecks checks, List<TableInfo> readWhole, ParallelCopy.Totals totals) {}

    private Copied copied;

    /** What {@link #run} copied; only after it ran. */
    Copied copied() {
        return Objects.requireNonNull(copied, "the rows phase has not run");
    }

    static ChunkPlanner planner(int threads) {
        return new ChunkPlanner(SPLIT_ABOVE, CHUNK_BYTES, threads);
    }

    @Override
    public void run(MoveRun m) throws SQLException, IOException {
        MoveSettings settings = m.settings();
        List<TableInfo> tables = m.inventory().tables();
        Path post = m.work().resolve("post-data.dump");
        m.sections().dumpPostData(settings.source(), m.snapshot(), post);
        lockTablesCutByBlocks(m.coordinator(), tables);
        List<Chunk> chunks = MoveProgress.plan(m.target(), planner(settings.threads()).plan(m.coordinator(), tables), tables);
        Set<String> done = MoveProgress.doneChunks(m.target());
        List<Chunk> todo = chunks.stream().filter(c -> !done.contains(c.id())).toList();
        m.listener().phase("rows: " + todo.size() + " of " + chunks.size() + " chunks of " + tables.size() + " tables, "
                + settings.threads() + (settings.threads() == 1 ? " thread" : " threads"));
        String postList = m.sections().list(post);
        Map<String, ForeignKeys.Key> foreignKeys = ForeignKeys.read(m.coordinator());
        Optional<EarlyIndexes> early = MoveProgress.phaseDone(m.target(), PostDataPhase.NAME) ? Optional.empty()
                : Optional.of(EarlyIndexes.plan(m.listener(), postList, m.coordinator(), tables, m.sections(), settings.target(), post,
                        m.work(), settings.threads()));
        MoveListener copyListener = early.<MoveListener>map(e -> e).orElse(m.listener());
        List<TableInfo> readWhole = settings.validate()
                ? chunks.stream().filter(TableChecks::checkedWhole).map(Chunk::table).distinct().toList() : List.of();
        LoadProof proof = settings.validate() && settings.ownTarget() ? LoadProof.forOwnTarget(chunks) : LoadProof.NONE;
        TableChecks checks = new TableChecks(copyListener, settings.target(), settings.threads(), readWhole, proof);
        early.ifPresent(checks::after);
        ParallelCopy.Totals totals;
        try {
            totals = new ParallelCopy(settings, m.snapshot(), m.filters(), m.export().after(m.tee()), checks, proof).run(todo, m.inventory().totalBytes());
        } catch (RuntimeException e) {
            early.ifPresent(EarlyIndexes::abandon);
            checks.abandon();
            throw e;
        }
        copied = new Copied(chunks, chunks.size() - todo.size(), post, postList, foreignKeys, early, checks, readWhole, totals);
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
}
