package io.uplift.testsupport;

import io.uplift.Uplift;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import io.uplift.install.Installation;
import io.uplift.install.ManagedDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL streaming standby (a mirror) of the server an installation's home manages, as
 * {@code pg_basebackup -R} would make it. The embedded server archives bring no pg_basebackup, so the
 * base backup is the other documented way: a copy of the data folder while the server is cleanly
 * stopped (a few seconds of outage, taken before any product process runs). Then what -R writes:
 * primary_conninfo plus standby.signal (PostgreSQL 12 and later) or recovery.conf with standby_mode
 * (10 and 11). The standby picks a free loopback port and follows the primary until {@link #close}.
 */
public final class StreamingStandby implements AutoCloseable {
    private final PgServer server;

    private StreamingStandby(PgServer server) {
        this.server = server;
    }

    /** Stops the server {@code home} manages, copies it, starts it again, then starts the copy as its standby. */
    public static StreamingStandby ofServerManagedBy(Path home) {
        ManagedDatabase m = Installation.open(home).state().managedDatabase();
        if (m == null) {
            throw new IllegalStateException(home + " manages no database server: there is nothing to mirror from here");
        }
        Uplift uplift = Uplift.configure().home(home).load();
        Path data = Path.of(m.dataDir());
        Path copy = TestPostgres.newTraversableTempDir().resolve("standby");
        OsUser user = OsUser.serverUser(m.osUser());
        try {
            uplift.stopDatabase();
            // The standby streams as the superuser initdb made; a replication line ahead of the others lets
            // it in without a password, from loopback only (first match wins in pg_hba.conf).
            Path hba = data.resolve("pg_hba.conf");
            Files.writeString(hba, "host replication postgres 127.0.0.1/32 trust\n" + Files.readString(hba, StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8);
            run(List.of("cp", "-a", data.toString(), copy.toString()));
            uplift.startDatabase();
            String conninfo = "primary_conninfo = 'host=127.0.0.1 port=" + m.port() + " user=postgres application_name=mirror'\n";
            if (m.major() >= 12) {
                Files.writeString(copy.resolve("postgresql.auto.conf"), conninfo, StandardOpenOption.APPEND);
                Files.createFile(copy.resolve("standby.signal"));
                ownedByServer(user, copy.resolve("standby.signal"));
            } else {
                Files.writeString(copy.resolve("recovery.conf"), "standby_mode = 'on'\n" + conninfo);
                ownedByServer(user, copy.resolve("recovery.conf"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make a standby of " + data + ": " + e.getMessage(), e);
        }
        PgServer standby = new PgServer(PgBinaries.forMajor(m.major()), copy, 0, user);
        standby.stopOnJvmExit();
        standby.start();
        return new StreamingStandby(standby);
    }

    /** The standby's URL for {@code database}. */
    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void ownedByServer(OsUser user, Path file) {
        if (user.switchesUser()) {
            run(List.of("chown", user.name(), file.toString()));
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        }
    }
}
