package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home with a journal admits the product only while the upgrade itself starts that very version. */
class UpgradeStartsServicesTest {
    @TempDir
    Path home;

    private GateSettings settings(String version) throws GateRefusal {
        return GateSettings.builder().home(home).product("lockbox").programVersion(version).serviceAccount("lockbox")
                .connections(() -> {
                    throw new SQLException("no database here");
                }).build();
    }

    @Test
    void theMarkerMustNameThisVersion() throws Exception {
        Files.createDirectories(home.resolve(".uplift"));
        assertThat(UpgradeStartsServices.startsVersion(settings("3.0"))).isFalse();
        Files.writeString(home.resolve(".uplift/services-starting"), "3.0\n");
        assertThat(UpgradeStartsServices.startsVersion(settings("3.0"))).isTrue();
        assertThat(UpgradeStartsServices.startsVersion(settings("2.1"))).isFalse();
    }

    @Test
    void aLinkIsNotAMarker() throws Exception {
        Files.createDirectories(home.resolve(".uplift"));
        Path elsewhere = Files.writeString(home.resolve("elsewhere"), "3.0");
        Files.createSymbolicLink(home.resolve(".uplift/services-starting"), elsewhere);
        assertThat(UpgradeStartsServices.startsVersion(settings("3.0"))).isFalse();
    }

    @Test
    void withoutTheMarkerTheJournalRefusesAndWithItTheGateGoesOnToTheDatabase() throws Exception {
        Files.createDirectories(home.resolve(".uplift"));
        Files.writeString(home.resolve(".uplift/journal.json"), "{}");
        assertThatThrownBy(() -> NodeGate.of(settings("3.0")).admit()).isInstanceOfSatisfying(GateRefusal.class,
                r -> assertThat(r.reason()).isEqualTo(GateRefusal.Reason.UPGRADE_IN_PROGRESS));
        Files.writeString(home.resolve(".uplift/services-starting"), "3.0");
        // Past the journal: the next check needs the database, which this test does not have.
        assertThatThrownBy(() -> NodeGate.of(settings("3.0")).admit()).isInstanceOfSatisfying(GateRefusal.class,
                r -> assertThat(r.reason()).isEqualTo(GateRefusal.Reason.DATABASE_UNREACHABLE));
    }
}
