package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.db.PgTools;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * What every phase of one move works with, fixed before the first phase runs: the settings, the
 * two connections (the coordinator holds the snapshot), the snapshot's inventory and filters, the
 * source indexes to create again on the target, the export and a scratch folder.
 */
record MoveRun(MoveSettings settings, MoveListener listener, PgTools tools, SchemaSections sections, Connection coordinator,
        Connection target, Path work, String snapshot, Inventory inventory, Filters filters, List<SourceIndexes.Index> recreate,
        MoveExport export, ChunkCopier.Tee tee, Optional<Path> dropIndexesFile) {}
