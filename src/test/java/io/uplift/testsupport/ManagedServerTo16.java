package io.uplift.testsupport;

import io.uplift.api.MoveListener;
import io.uplift.api.MoveResult;
import io.uplift.dbmove.ChunkCopier;
import io.uplift.dbmove.DatabaseMove;
import io.uplift.dbmove.MoveSettings;
import io.uplift.dbmove.NewServer;
import io.uplift.dbmove.PgUrl;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.ManagedDatabase;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Test setup only: moves a demo home's managed PostgreSQL 10 server to a managed PostgreSQL 16 one
 * (HOME/db/pg16) the way an upgrade's move step does, without changing the product's version, so
 * that a test can start from an installation whose server is new already (Lockbox 3.0's plan then
 * has no move). The old server is stopped.
 */
public final class ManagedServerTo16 {
    private ManagedServerTo16() {}

    public static void move(Path home) {
        Installation inst = Installation.open(home);
        DatabaseSettings old = inst.databaseSettings();
        PgUrl source = PgUrl.fromJdbc(old.url(), old.user(), old.password());
        Path dataDir = home.resolve("db").resolve("pg16");
        NewServer.Started started = NewServer.ensure(16, dataDir, 0, NewServer.randomPassword(), source);
        MoveSettings settings = new MoveSettings(source, started.url(), 2, Map.of(), Optional.empty(), MoveSettings.Compression.NONE,
                Optional.empty(), true, true, true);
        MoveResult moved = new DatabaseMove(settings, MoveListener.NONE, ChunkCopier.Tee.NONE).run();
        if (!moved.differences().isEmpty()) {
            throw new IllegalStateException("The test setup's move to PostgreSQL 16 found differences: " + moved.differences());
        }
        try {
            DurableFiles.replaceKeepingOwner(home.resolve(DatabaseSettings.FILE),
                    new DatabaseSettings(started.url().jdbcUrl(), old.user(), old.password()).toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InstallationState s = inst.state();
        ManagedDatabase previous = s.managedDatabase();
        Map<String, String> files = new HashMap<>(s.nodeLocalFiles());
        NodeLocalFiles.sha256(home.resolve(DatabaseSettings.FILE)).ifPresent(h -> files.put(DatabaseSettings.FILE, h));
        Installation.record(home, new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), files,
                new ManagedDatabase(16, dataDir.toString(), started.server().port(), started.server().user().name()), s.pendingTasks()));
        if (previous != null) {
            new ProductDatabase(Installation.open(home)).stopServer(previous);
        }
    }
}
