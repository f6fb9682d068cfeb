package io.uplift.lockbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.ProgressListener;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.TestPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the real Lockbox process, started by its launcher, refused by the node gate with the
 * message and the documented exit code when its version is not the database's (20) or its keyset
 * is another installation's (21); a refused start registers nothing.
 */
class LockboxGateRefusalIT {
    @Test
    void aNodeBehindTheDatabaseAndANodeWithAnotherInstallationsKeysetAreRefusedAndRegisterNothing() throws Exception {
        Path home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Path other = TestPostgres.newTraversableTempDir().resolve("other");
        Uplift.configure().home(home).load().prepareDemo(new DemoSettings(100, 3, DemoSettings.demoCatalog()), ProgressListener.NONE);
        Uplift.configure().home(other).load().prepareDemo(new DemoSettings(100, 4, DemoSettings.demoCatalog()), ProgressListener.NONE);
        try {
            // Another node upgraded the database to 3.0; this node still has 1.0's program files.
            sql(home, "UPDATE uplift_installation SET version = '3.0'");
            Run behind = run(home, "app/bin/lockbox", "start");
            assertThat(behind.exit()).as(behind.output()).isEqualTo(20);
            assertThat(behind.output()).contains("1.0").contains("3.0").contains("uplift upgrade --to 3.0");
            assertThat(registeredNodes(home)).isZero();
            sql(home, "UPDATE uplift_installation SET version = '1.0'");

            // The keyset of another installation (with its own master key file, which opens it).
            Path keyset = home.resolve("config/keyset.json");
            Path mine = Files.copy(keyset, home.resolveSibling("keyset.json.mine"));
            Files.copy(other.resolve("config/keyset.json"), keyset, StandardCopyOption.REPLACE_EXISTING);
            Run foreign = run(home, "app/bin/lockbox", "start");
            assertThat(foreign.exit()).as(foreign.output()).isEqualTo(21);
            assertThat(foreign.output()).containsIgnoringCase("keyset").contains(keyset.toString());
            assertThat(registeredNodes(home)).isZero();

            // With its own keyset back, the same node starts.
            Files.copy(mine, keyset, StandardCopyOption.REPLACE_EXISTING);
            Run started = run(home, "app/bin/lockbox", "start");
            assertThat(started.exit()).as(started.output()).isZero();
            assertThat(registeredNodes(home)).isEqualTo(1);
        } finally {
            run(home, "app/bin/lockbox", "stop");
            Uplift.configure().home(home).load().stopDatabase();
            Uplift.configure().home(other).load().stopDatabase();
        }
    }

    private static void sql(Path home, String statement) throws Exception {
        DatabaseSettings db = DatabaseSettings.read(home);
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = conn.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    private static long registeredNodes(Path home) throws Exception {
        DatabaseSettings db = DatabaseSettings.read(home);
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'uplift_nodes'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM uplift_nodes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(Path home, String... command) throws Exception {
        Path out = Files.createTempFile("lockbox-gate", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
