package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RefusalsTest {
    private static GateSettings node(String version) throws GateRefusal {
        return GateSettings.builder().home(Path.of("/srv/lockbox")).product("lockbox").programVersion(version).serviceAccount("lockbox")
                .connections(() -> {
                    throw new SQLException("not used");
                }).build();
    }

    @Test
    void anOlderNodeIsToldToUpgradeToTheDatabasesVersion() throws GateRefusal {
        GateRefusal r = Refusals.versionMismatch(node("2.1"), "3.0");
        assertThat(r.exitCode()).isEqualTo(20);
        assertThat(r.getMessage()).contains("This node runs Lockbox 2.1 but the database belongs to 3.0")
                .contains("uplift upgrade --to 3.0 --home /srv/lockbox").endsWith("Nothing was changed.");
    }

    @Test
    void aNewerNodeIsToldTheDatabaseMustBeUpgradedFirst() throws GateRefusal {
        GateRefusal r = Refusals.versionMismatch(node("3.0"), "2.1");
        assertThat(r.getMessage()).contains("This node runs Lockbox 3.0 but the database belongs to 2.1")
                .contains("newer than the database").contains("upgraded first").contains("journal").doesNotContain("upgrade --to");
    }

    @Test
    void anUnorderableVersionIsNamedWithoutGuessingWhichIsNewer() throws GateRefusal {
        GateRefusal r = Refusals.versionMismatch(node("3.0"), "3.0-beta");
        assertThat(r.getMessage()).contains("belongs to 3.0-beta").contains("uplift status --home /srv/lockbox");
    }

    @Test
    void aKeysetMismatchNamesBothFingerprintsAndWhereTheRightOneIs() throws GateRefusal {
        LocalKeyset local = new LocalKeyset(Path.of("/srv/lockbox/config/keyset.json"), LocalKeyset.State.KNOWN, "aaaaaaaaaaaa" + "0".repeat(52), null);
        var recorded = new DatabaseFacts.RecordedKeyset("bbbbbbbbbbbb" + "1".repeat(52), "app-1", "/opt/lockbox", "2026-11-23T07:24:51Z");
        GateRefusal r = Refusals.keysetMismatch(node("3.0"), local, recorded);
        assertThat(r.exitCode()).isEqualTo(21);
        assertThat(r.getMessage()).contains("aaaaaaaaaaaa,").contains("bbbbbbbbbbbb from node app-1, home /opt/lockbox")
                .contains("/opt/lockbox/config/keyset.json").contains("master key").doesNotContain("0".repeat(52));
    }

    @Test
    void aMidUpgradeNodeGetsResumeRollbackAndStatus() throws GateRefusal {
        GateRefusal r = Refusals.upgradeInProgress(node("2.1"));
        assertThat(r.exitCode()).isEqualTo(22);
        assertThat(r.getMessage()).contains("mid-upgrade").contains("uplift resume --home /srv/lockbox")
                .contains("uplift rollback --home /srv/lockbox").contains("uplift status --home /srv/lockbox");
    }

    @Test
    void versionsOrderNumerically() {
        assertThat(Versions.compare("10.0", "9.9")).hasValue(1);
        assertThat(Versions.compare("3.0", "3.0.0")).hasValue(0);
        assertThat(Versions.compare("2.1", "3.0")).hasValue(-1);
        assertThat(Versions.compare("3.0", "3.x")).isEmpty();
    }
}
