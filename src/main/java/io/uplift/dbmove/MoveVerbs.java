package io.uplift.dbmove;

import io.uplift.api.Database;
import io.uplift.api.ErrorCode;
import io.uplift.api.MoveListener;
import io.uplift.api.MoveReport;
import io.uplift.api.MoveRequest;
import io.uplift.api.MoveResult;
import io.uplift.api.MoveValidation;
import io.uplift.api.SourceDescription;
import io.uplift.api.SourceIndexesToDrop;
import io.uplift.api.UpliftException;
import io.uplift.db.PasswordSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The facade's database-move verbs mapped onto the engine: a validated {@link MoveRequest} becomes
 * {@link MoveSettings} and a {@link DatabaseMove}; results come back as {@code io.uplift.api} values.
 * None of them needs an installation.
 */
public final class MoveVerbs {
    private MoveVerbs() {}

    /**
     * Reads a connection string given after {@code flag} and finds its password once: in
     * {@code passwordFile} (given with FLAG-password-file), the string, PGPASSWORD, ~/.pgpass or a question on the terminal.
     */
    public static Database resolve(String flag, String connection, Optional<Path> passwordFile, Consumer<String> warnings) {
        return resolve(flag, connection, passwordFile, warnings, true);
    }

    /** @param askOnTerminal whether a password found nowhere else may be asked on the terminal (not from the console) */
    public static Database resolve(String flag, String connection, Optional<Path> passwordFile, Consumer<String> warnings,
            boolean askOnTerminal) {
        PasswordSource passwords = askOnTerminal ? PasswordSource.system() : PasswordSource.withoutTerminal();
        PgUrl url = PgUrl.fromCommandLine(flag, connection, flag + "-password-file", passwordFile, passwords, System.getenv(),
                warnings);
        return new Database(flag, connection, url.password(), url.toString());
    }

    /** Starts the new server first for --target-version, then drops the confirmed source indexes, copies and validates. */
    public static MoveReport move(MoveRequest request, MoveListener listener) {
        PgUrl source = PgUrl.of(request.source());
        PgUrl target = request.target().map(PgUrl::of).orElseGet(() -> startNewServer(request.newServer().orElseThrow(), source, listener));
        DatabaseMove move = new DatabaseMove(MoveSettings.from(request, source, target), listener, ChunkCopier.Tee.NONE);
        Optional<SourceIndexesToDrop> drop = request.indexesToDrop()
                .or(() -> request.dropSourceIndexes() ? Optional.of(sourceIndexesToDrop(request)) : Optional.empty());
        drop.ifPresent(d -> move.dropSourceIndexes(SourceIndexViews.found(d), d.file()));
        MoveResult moved = move.run();
        return new MoveReport(moved, move.exportManifest().map(Path::getParent));
    }

    /** Only compares source and target of an earlier move, independently: counts, checksums, schema. */
    public static MoveValidation validate(MoveRequest request) {
        Database target = request.target().orElseThrow(() -> new UpliftException(ErrorCode.USAGE, "--validate needs --target URL."));
        PgUrl source = PgUrl.of(request.source());
        return new MoveValidation(new DatabaseMove(MoveSettings.validating(request, source, PgUrl.of(target)), MoveListener.NONE,
                ChunkCopier.Tee.NONE).validateOnly());
    }

    /** What --drop-source-indexes would drop, and the file its DDL goes to (in --export-dir, else the current folder). */
    public static SourceIndexesToDrop sourceIndexesToDrop(MoveRequest request) {
        Path file = request.exportDir().orElse(Path.of("")).toAbsolutePath().normalize().resolve(SourceIndexes.FILE);
        return SourceIndexViews.view(SourceIndexes.find(PgUrl.of(request.source())), file);
    }

    public static SourceDescription describeSource(Database source) {
        return SourceDeletion.describe(PgUrl.of(source));
    }

    public static void deleteSource(Database source) {
        SourceDeletion.drop(PgUrl.of(source));
    }

    private static PgUrl startNewServer(MoveRequest.NewServer spec, PgUrl source, MoveListener listener) {
        PgUrl url = NewServer.create(spec.major(), spec.dataDir().toAbsolutePath().normalize(), source).url();
        listener.serverStarted(spec.major(), spec.dataDir(), url.port(), url.toString());
        return url;
    }
}
