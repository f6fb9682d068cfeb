package io.uplift.dbmove;

import io.uplift.api.MoveRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One database move as the engine takes it; {@link #from} maps the facade's validated {@link MoveRequest}.
 *
 * @param filters      TABLE=PREDICATE, table as schema.name
 * @param exportDir    also write a self-describing export there, in the same pass
 * @param validate     compare counts, checksums and schema after the copy (on by default)
 * @param ownTarget    the target is a server the move created (--target-version, the upgrade's move): no one else
 *                     writes to it, so a table the load cannot change is counted there instead of read back ({@link LoadProof})
 */
public record MoveSettings(PgUrl source, PgUrl target, int threads, Map<String, String> filters, Optional<Path> exportDir,
        Compression compression, Optional<Path> pgToolsDir, boolean resume, boolean validate, boolean ownTarget) {

    /** The export's compression levels, mapped to zstd levels (docs/database-move.md, "Flags"). */
    public enum Compression {
        NONE(0), LOW(1), MEDIUM(6), HIGH(15);

        private final int zstdLevel;

        Compression(int zstdLevel) {
            this.zstdLevel = zstdLevel;
        }

        public int zstdLevel() {
            return zstdLevel;
        }
    }

    public MoveSettings {
        filters = Map.copyOf(filters);
    }

    /** The settings of {@code request} between {@code source} and {@code target} (a new server's, for --target-version). */
    public static MoveSettings from(MoveRequest request, PgUrl source, PgUrl target) {
        return new MoveSettings(source, target, request.threads(), filters(request), request.exportDir(),
                Compression.valueOf(request.compression().name()), request.pgToolsDir(), request.resume(), request.validate(),
                request.target().isEmpty());
    }

    /** For only validating an earlier move of {@code request}: no export, no resume, every check on. */
    public static MoveSettings validating(MoveRequest request, PgUrl source, PgUrl target) {
        return new MoveSettings(source, target, request.threads(), filters(request), Optional.empty(), Compression.NONE,
                request.pgToolsDir(), false, true, false);
    }

    private static Map<String, String> filters(MoveRequest request) {
        return request.onlyThreatEvents() ? MoveRequest.parseFilters(List.of(Filters.ONLY_THREAT_EVENTS)) : request.filters();
    }
}
