package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.db.Sha256;
import io.uplift.db.ToolRun;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The export's schema files, pre-data.sql and post-data.sql: each written as NAME.partial (0600),
 * then forced and renamed into place, and described by its manifest entry.
 */
final class ExportSchemaFiles {
    private final Path dir;

    ExportSchemaFiles(Path dir) {
        this.dir = dir;
    }

    /** The move's own pre-data dump, copied before its done-mark was appended. */
    ExportManifest.FileEntry preData(Path dumped) throws IOException {
        Path partial = partial(ExportFileNames.PRE_DATA);
        try (OutputStream out = Channels.newOutputStream(OwnerOnly.create(partial))) {
            Files.copy(dumped, out);
        }
        return seal(partial, ExportFileNames.PRE_DATA);
    }

    /** A resumed move whose schema is already on the target: pre-data dumped again, in the same snapshot. */
    ExportManifest.FileEntry dumpPreData(SchemaSections sections, PgUrl source, String snapshot) throws IOException {
        Path partial = partial(ExportFileNames.PRE_DATA);
        OwnerOnly.createEmpty(partial); // pg_dump truncates it and keeps its mode
        sections.dumpPreData(source, snapshot, partial);
        return seal(partial, ExportFileNames.PRE_DATA);
    }

    /**
     * post-data.sql: the move's custom-format post-data dump printed as SQL by pg_restore -f (no
     * server involved), then the definitions of the source indexes --drop-source-indexes dropped.
     */
    ExportManifest.FileEntry postData(PgTools tools, Path customDump, List<String> extraIndexes) throws IOException {
        Path partial = partial(ExportFileNames.POST_DATA);
        OwnerOnly.createEmpty(partial); // pg_restore truncates it and keeps its mode
        ToolRun.Result r = ToolRun.run(List.of(tools.pgRestore().toString(), "--no-owner", "--no-privileges", "--file=" + partial,
                customDump.toString()), Map.of(), line -> { }, Duration.ofHours(1), ErrorCode.DATABASE_MOVE);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "pg_restore --file (the export's post-data.sql) failed with exit code "
                    + r.exitCode() + ": " + r.stderrTail().strip());
        }
        if (!extraIndexes.isEmpty()) {
            StringBuilder b = new StringBuilder("\n--\n-- Indexes that --drop-source-indexes dropped on the source before the move\n--\n\n");
            extraIndexes.forEach(d -> b.append(d).append(";\n\n"));
            Files.writeString(partial, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return seal(partial, ExportFileNames.POST_DATA);
    }

    private Path partial(String name) {
        return dir.resolve(name + ExportFileNames.PARTIAL);
    }

    private static ExportManifest.FileEntry seal(Path partial, String name) throws IOException {
        Path target = partial.resolveSibling(name);
        String sha = Sha256.hex(partial);
        DurableFiles.forceAndMoveIntoPlace(partial, target);
        return new ExportManifest.FileEntry(name, Files.size(target), sha);
    }
}
