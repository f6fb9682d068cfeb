package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.api.ValidationDifference;
import io.uplift.api.RowFigures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares source and target after a move: the chunks' figures, the tables read back whole, and
 * the schemas. Chunks checked as they were copied only need their recorded figures compared; the
 * others (copied by a move with --skip-validation, or by an Uplift from before the check) are
 * counted and summed in both servers ({@link ParallelValidation}).
 */
final class MoveValidation {
    /** A table's figure on the target: read now, or the one read while the move ran (TableChecks). */
    @FunctionalInterface
    interface StoredFigure {
        String of(Connection target, TableInfo table) throws SQLException;
    }

    /**
     * The chunks sorted by how they are compared: differences already plain from recorded figures,
     * tables whose chunks' figures as sent add up to one read on the target, and chunks to count again.
     */
    record Sorted(List<ValidationDifference> recordedDifferences, Map<TableInfo, List<Chunk>> wholeTables, List<Chunk> unchecked) {}

    private final MoveSettings settings;
    private final Filters filters;
    private final MoveListener listener;

    MoveValidation(MoveSettings settings, Filters filters, MoveListener listener) {
        this.settings = settings;
        this.filters = filters;
        this.listener = listener;
    }

    /** Every difference, sorted; {@code recorded} holds the figures the move recorded per chunk id. */
    List<ValidationDifference> compare(List<Chunk> chunks, Connection source, Connection target, List<SourceIndexes.Index> dropped,
            Map<String, ChunkCopier.Figures> recorded, StoredFigure stored) throws SQLException {
        Sorted sorted = sort(chunks, recorded);
        List<ValidationDifference> differences = new ArrayList<>(sorted.recordedDifferences());
        List<Chunk> unchecked = new ArrayList<>(sorted.unchecked());
        for (Map.Entry<TableInfo, List<Chunk>> e : sorted.wholeTables().entrySet()) {
            // The chunks' figures as sent add up to the table's, taken once on the target (TableChecks).
            List<ChunkCopier.Figures> parts = e.getValue().stream().map(c -> recorded.get(c.id())).toList();
            String form = ChunkCopier.checkFormOf(e.getKey());
            // A chunk summed in another form (recorded by an earlier Uplift, then resumed) cannot be added to the others.
            if (parts.stream().anyMatch(f -> f == null || !Objects.equals(f.form(), form))) {
                unchecked.addAll(e.getValue()); // counted and summed on both servers, see ParallelValidation
                continue;
            }
            String sent = parts.stream().map(ChunkCopier.Figures::source).reduce(RowChecksum::add).orElseThrow();
            String onTarget = stored.of(target, e.getKey());
            if (!sent.equals(onTarget)) {
                String ranges = e.getValue().get(0).physical() ? " block ranges)" : " key ranges)";
                differences.add(new ValidationDifference.Rows(e.getKey().label() + " (" + parts.size() + ranges,
                        RowFigures.parse(sent), RowFigures.parse(onTarget)));
            }
        }
        if (!unchecked.isEmpty()) {
            listener.phase("validation: counting and summing " + unchecked.size() + " chunks on both servers");
            differences.addAll(new ParallelValidation(settings, filters).run(unchecked));
        }
        TreeSet<String> sourceSchema = SchemaFingerprint.of(source);
        dropped.forEach(i -> sourceSchema.add("index " + i.fingerprint())); // dropped on the source, expected on the target
        differences.addAll(ValidationDifference.Schema.between(sourceSchema, SchemaFingerprint.of(target)));
        Collections.sort(differences);
        return differences;
    }

    /** Pure: which chunks compare how, and the differences their recorded figures already show. */
    static Sorted sort(List<Chunk> chunks, Map<String, ChunkCopier.Figures> recorded) {
        List<ValidationDifference> differences = new ArrayList<>();
        List<Chunk> unchecked = new ArrayList<>();
        Map<TableInfo, List<Chunk>> wholeTables = new LinkedHashMap<>();
        for (Chunk c : chunks) {
            ChunkCopier.Figures f = recorded.get(c.id());
            if (c.physical() || TableChecks.checkedWhole(c)) {
                wholeTables.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c);
            } else if (f == null || f.target() == null) {
                unchecked.add(c);
            } else if (!f.source().equals(f.target())) {
                differences.add(new ValidationDifference.Rows(c.id(), RowFigures.parse(f.source()), RowFigures.parse(f.target())));
            }
        }
        return new Sorted(differences, wholeTables, unchecked);
    }
}
