package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a table's indexes and its own constraints (primary key, unique, check, exclusion) as soon
 * as the last of its chunks is committed, while the workers copy the other tables: its primary key
 * and unique constraints as unique indexes first ({@link KeyConstraints}), beside one pg_restore of
 * its other post-data entries (with the move's number of jobs, so a big table's indexes are built
 * side by side), on a builder thread of its own, one table at a time. Foreign keys, triggers and
 * whatever belongs to no single copied table (partitioned parents, index attachments) wait for the
 * final post-data restore, which also redoes anything an early build did not finish: it restores
 * only what is not on the target yet ({@link PostDataList}). So a failed or killed early build costs
 * time, never correctness.
 */
final class EarlyIndexes extends ForwardingMoveListener {
    private static final Pattern INDEX = Pattern.compile("^\\d+; \\d+ \\d+ INDEX (\\S+) (\\S+) \\S+$");
    private static final Pattern CONSTRAINT = Pattern.compile("^\\d+; \\d+ \\d+ CONSTRAINT (\\S+) (\\S+) (\\S+) \\S+$");

    private final Map<String, List<String>> entriesByTable;
    private final Map<String, List<KeyConstraints.Key>> keysByTable;
    private final Map<String, String> qualifiedByLabel;
    private final SchemaSections sections;
    private final PgUrl target;
    private final Path dump;
    private final Path work;
    private final int jobs;
    private Consumer<String> whenBuilt = table -> {};
    private final ExecutorService builder = Executors.newSingleThreadExecutor(Threads.daemon("uplift-move-indexes"));

    private final java.util.Set<String> analyzed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ExecutorService keyBuilder = Executors.newSingleThreadExecutor(Threads.daemon("uplift-move-keys"));

    /**
     * The VACUUMs, on a thread of their own: on the builder's thread, the big table's VACUUM (1.5 s on
     * the bench's events) held back the builds of the small tables queued behind it, and the foreign
     * keys waited for those too.
     */
    private final ExecutorService vacuumer = Executors.newSingleThreadExecutor(Threads.daemon("uplift-move-vacuum"));

    private EarlyIndexes(MoveListener delegate, Map<String, List<String>> entriesByTable, Map<String, List<KeyConstraints.Key>> keysByTable,
            Map<String, String> qualifiedByLabel, SchemaSections sections, PgUrl target, Path dump, Path work, int jobs) {
        super(delegate);
        this.entriesByTable = entriesByTable;
        this.keysByTable = keysByTable;
        this.qualifiedByLabel = qualifiedByLabel;
        this.sections = sections;
        this.target = target;
        this.dump = dump;
        this.work = work;
        this.jobs = jobs;
    }

    /**
     * The post-data entries of {@code list} (pg_restore -l of {@code dump}) that belong to one copied
     * table, by table label; index names are matched to their tables in the source's catalog.
     */
    static EarlyIndexes plan(MoveListener delegate, String list, Connection source, List<TableInfo> tables, SchemaSections sections,
            PgUrl target, Path dump, Path work, int jobs) throws SQLException {
        Map<String, String> labels = new HashMap<>();
        Map<String, String> qualified = new HashMap<>();
        tables.forEach(t -> {
            labels.put(t.schema() + "." + t.name(), t.label());
            qualified.put(t.label(), t.qualified());
        });
        Map<String, String> indexTable = new HashMap<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT n.nspname, i.relname, t.relname FROM pg_index x "
                + "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                indexTable.put(rs.getString(1) + "." + rs.getString(2), rs.getString(1) + "." + rs.getString(3));
            }
        }
        Map<String, List<KeyConstraints.Key>> keys = KeyConstraints.read(source);
        Map<String, List<String>> byTable = new HashMap<>();
        Map<String, List<KeyConstraints.Key>> keysByTable = new HashMap<>();
        for (String line : list.split("\n")) {
            String entry = line.strip();
            Matcher index = INDEX.matcher(entry);
            Matcher constraint = CONSTRAINT.matcher(entry);
            String table = index.matches() ? indexTable.get(index.group(1) + "." + index.group(2))
                    : constraint.matches() ? constraint.group(1) + "." + constraint.group(2) : null;
            String label = table == null ? null : labels.get(table);
            if (label == null) {
                continue;
            }
            KeyConstraints.Key key = constraint.matches() ? keys.getOrDefault(table, List.of()).stream()
                    .filter(k -> k.name().equals(constraint.group(3))).findFirst().orElse(null) : null;
            if (key != null) {
                keysByTable.computeIfAbsent(label, k -> new ArrayList<>()).add(key);
            } else {
                byTable.computeIfAbsent(label, k -> new ArrayList<>()).add(line);
            }
        }
        return new EarlyIndexes(delegate, byTable, keysByTable, qualified, sections, target, dump, work, jobs);
    }

    /** Told of each table whose early build has ended (built or not), or that had nothing to build. */
    EarlyIndexes whenBuilt(Consumer<String> then) {
        this.whenBuilt = then;
        return this;
    }

    @Override
    public void tableCopied(String table, long rows, long bytes, Duration took) {
        super.tableCopied(table, rows, bytes, took);
        List<String> entries = entriesByTable.getOrDefault(table, List.of());
        List<KeyConstraints.Key> keys = keysByTable.getOrDefault(table, List.of());
        if (entries.isEmpty() && keys.isEmpty()) {
            whenBuilt.accept(table);
        } else {
            builder.submit(() -> {
                build(table, entries, keys);
                whenBuilt.accept(table);
                try {
                    vacuumer.submit(() -> vacuum(table));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the move was abandoned
                }
            });
        }
    }

    /**
     * The table's primary key and unique constraints ({@link KeyConstraints}) on a connection of
     * their own, beside one pg_restore of its other entries: so a big table's key and its other
     * indexes are built at the same time.
     */
    private void build(String table, List<String> entries, List<KeyConstraints.Key> keys) {
        Future<Integer> keyBuild;
        try {
            keyBuild = keys.isEmpty() ? CompletableFuture.completedFuture(0) : keyBuilder.submit(() -> {
                try (Connection conn = MoveConnections.open(target)) {
                    return KeyConstraints.build(conn, keys);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the move was abandoned
        }
        String failed = null;
        boolean built = false;
        try (Connection conn = MoveConnections.open(target)) {
            String todo = entries.isEmpty() ? "" : PostDataList.stillToRestore(String.join("\n", entries), conn);
            if (!todo.isBlank()) {
                built = true;
                Path listFile = Files.createTempFile(work, "early-", ".list");
                Files.writeString(listFile, todo);
                // the key build takes one of the jobs
                sections.restore(target, dump, listFile, keys.isEmpty() ? jobs : Math.max(1, jobs - 1));
            }
        } catch (SQLException | IOException | RuntimeException e) {
            failed = e.getMessage();
        }
        try {
            built |= keyBuild.get() > 0;
        } catch (ExecutionException e) {
            failed = failed != null ? failed : e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = failed != null ? failed : "interrupted";
        }
        if (failed == null && built) {
            delegate.phase("indexes and constraints of " + table + " built");
        } else if (failed != null) {
            delegate.phase("indexes of " + table + " not built early (" + String.valueOf(failed).strip() + "); the post-data phase builds them");
        }
    }

    /**
     * VACUUM of a table just loaded and indexed, so its pages are marked all-visible before the
     * foreign-key checks plan their scans. Without the marks the planner costs an index-only probe
     * of the referenced key like a heap fetch and hashes the whole referenced table instead: on the
     * bench's 11 M events, checking event_threats' key to events took 6.4 s that way and 1.2 s after
     * a 1.4 s VACUUM (and events' own key to users 3.2 s -> 2.3 s: a scan of all-visible pages skips
     * the per-row visibility test). It runs beside the table's read-back (no lock of either blocks
     * the other); the foreign keys wait for it (finish()). Autovacuum would make this same pass soon
     * after the move anyway. A VACUUM that fails costs time only, so it is reported, not raised.
     * The same command analyzes the table, so the move's final ANALYZE, which used to take a second
     * at the very end, only has the tables left that had nothing to build ({@link #analyzed()}).
     */
    private void vacuum(String table) {
        String qualified = qualifiedByLabel.get(table);
        if (qualified == null || Thread.currentThread().isInterrupted()) { // abandoned
            return;
        }
        try (Connection conn = MoveConnections.open(target); java.sql.Statement st = conn.createStatement()) {
            st.execute("VACUUM (ANALYZE) " + qualified);
            analyzed.add(qualified);
        } catch (SQLException e) {
            delegate.phase("VACUUM of " + table + " failed (" + String.valueOf(e.getMessage()).strip()
                    + "); the foreign-key checks may take longer");
        }
    }

    /** The tables (quoted, qualified names) that were vacuumed and analyzed after their builds. */
    java.util.Set<String> analyzed() {
        return java.util.Set.copyOf(analyzed);
    }

    /** Waits for the builds under way; what they leave undone the post-data phase does. */
    void finish() {
        builder.shutdown();
        try {
            while (!builder.awaitTermination(1, TimeUnit.HOURS)) {
                // an index build of hours on a huge table: keep waiting
            }
            vacuumer.shutdown(); // every build that queues a VACUUM has ended
            while (!vacuumer.awaitTermination(1, TimeUnit.HOURS)) {
                // a VACUUM of hours on a huge table: keep waiting
            }
        } catch (InterruptedException e) {
            builder.shutdownNow();
            vacuumer.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            keyBuilder.shutdown(); // every build that used it has ended
        }
    }

    /** Stops builds not yet begun (the move failed); one under way ends with its pg_restore. */
    void abandon() {
        builder.shutdownNow();
        keyBuilder.shutdownNow();
        vacuumer.shutdownNow();
    }
}
