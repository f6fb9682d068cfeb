package io.uplift.dbmove;

import io.uplift.db.ServerVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** The export's post-data.sql and, last, its manifest (only in a move with --export-dir). */
final class ExportPhase implements MovePhase {
    private final RowsPhase rows;
    private Optional<Path> manifest = Optional.empty();

    ExportPhase(RowsPhase rows) {
        this.rows = rows;
    }

    /** The manifest written, once the phase ran. */
    Optional<Path> manifest() {
        return manifest;
    }

    @Override
    public void run(MoveRun m) throws SQLException, IOException {
        RowsPhase.Copied copied = rows.copied();
        manifest = m.export().finish(new MoveExport.Finish(m.tools(), copied.postDump(), SourceIndexes.statements(m.recreate()), m.target(),
                copied.chunks(), ServerVersion.of(m.coordinator()).text(), m.settings().source().database(), m.dropIndexesFile(),
                m.listener()));
    }
}
