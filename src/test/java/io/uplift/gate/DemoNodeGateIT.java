package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.install.DatabaseSettings;
import io.uplift.keys.KeysetRecord;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate against what 'uplift demo' really makes: a Lockbox 1.0 home with a sealed keyset (the
 * real envelope, parsed by the gate's own header reader) on the PostgreSQL 10 server Uplift manages,
 * whose database records version 1.0 from the start. A 1.0 node is admitted with the keyset the
 * database recorded; a node of another version is refused.
 */
class DemoNodeGateIT {
    private static Path home;

    @BeforeAll
    static void prepareDemo() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        String[] run = NodeGateIT.cli("demo", "--prepare-only", "--home", home.toString(), "--events", "200", "--seed", "3");
        assertThat(run[0]).as(run[1]).isEqualTo("0");
    }

    @AfterAll
    static void stopDemoServer() {
        if (home != null) {
            NodeGateIT.cli("db", "stop", "--home", home.toString());
        }
    }

    private static NodeGate gate(String version) throws GateRefusal {
        DatabaseSettings db = DatabaseSettings.read(home);
        return NodeGate.of(GateSettings.builder().home(home).product("lockbox").programVersion(version)
                .connections(() -> DriverManager.getConnection(db.url(), db.user(), db.password())).build());
    }

    @Test
    void theDemoDatabaseRecordsOneZeroAndItsKeysetSoAOneZeroNodeIsAdmitted() throws Exception {
        Admission a = gate("1.0").admit();

        assertThat(a.databaseVersion()).isEqualTo("1.0");
        DatabaseSettings db = DatabaseSettings.read(home);
        try (Connection conn = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(a.keysetFingerprint()).isNotNull().isEqualTo(KeysetRecord.read(conn).orElseThrow().fingerprint());
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM uplift_nodes WHERE node_id = '"
                    + a.nodeId() + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aTwoOneProgramOnTheOneZeroDemoIsRefused() throws SQLException {
        assertThatThrownBy(() -> gate("2.1").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH);
            assertThat(r.getMessage()).contains("This node runs Lockbox 2.1 but the database belongs to 1.0").contains("upgraded first");
        });
    }
}
