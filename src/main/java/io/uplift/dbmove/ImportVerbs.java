package io.uplift.dbmove;

import io.uplift.api.ExportSummary;
import io.uplift.api.ImportRequest;
import io.uplift.api.ImportResult;
import io.uplift.api.MoveListener;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The facade's import verbs mapped onto {@link ExportManifest} and {@link DatabaseImport}; no installation needed. */
public final class ImportVerbs {
    private ImportVerbs() {}

    /** Reads the export's manifest.json (refused when missing or not an Uplift export); changes nothing. */
    public static ExportSummary readExport(Path dir) {
        ExportManifest m = ExportManifest.read(dir.toAbsolutePath().normalize());
        return new ExportSummary(m.sourceDatabase(), m.sourceServerVersion(), m.createdAt(), m.data().size(), m.sequences().size(),
                m.largeObjects() == null ? OptionalLong.empty() : OptionalLong.of(m.largeObjects().count()));
    }

    public static ImportResult load(ImportRequest request, MoveListener listener) {
        DatabaseImport.Result r = new DatabaseImport(request.exportDir(), PgUrl.of(request.target()), request.threads(),
                request.pgToolsDir(), listener, request.resume()).run();
        return new ImportResult(r.files(), r.rows(), r.bytes(), r.sequences(), r.largeObjects(), r.took());
    }
}
