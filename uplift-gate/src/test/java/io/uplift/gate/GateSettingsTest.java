package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class GateSettingsTest {
    private static final ConnectionSource NO_DATABASE = () -> {
        throw new SQLException("not used");
    };

    private static GateSettings.Builder valid() {
        return GateSettings.builder().home(Path.of("/srv/lockbox/../lockbox")).product("lockbox").programVersion("2.1")
                .serviceAccount("lockbox").connections(NO_DATABASE);
    }

    @Test
    void defaultsToTheWebRoleAndTheHomesKeyset() throws GateRefusal {
        GateSettings s = valid().build();
        assertThat(s.home()).isEqualTo(Path.of("/srv/lockbox"));
        assertThat(s.role()).isEqualTo("web");
        assertThat(s.keysetFile()).isEqualTo(Path.of("/srv/lockbox/config/keyset.json"));
    }

    @Test
    void aNullKeysetMeansTheProductHasNone() throws GateRefusal {
        assertThat(valid().keysetFile(null).build().keysetFile()).isNull();
    }

    @Test
    void refusesAMalformedSettingNamingIt() {
        assertThatThrownBy(() -> valid().programVersion("v2").build()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.SETTINGS_INVALID);
            assertThat(r.exitCode()).isEqualTo(24);
        }).hasMessageContaining("'programVersion'");
        assertThatThrownBy(() -> valid().role("db").build()).hasMessageContaining("'role'").hasMessageContaining("web, worker or proxy");
        assertThatThrownBy(() -> valid().product("Lockbox").build()).hasMessageContaining("'product'");
        assertThatThrownBy(() -> valid().home(null).build()).hasMessageContaining("'home'");
        assertThatThrownBy(() -> valid().serviceAccount(" ").build()).hasMessageContaining("'serviceAccount'");
        assertThatThrownBy(() -> valid().connections(null).build()).hasMessageContaining("'connections'");
    }

    @Test
    void exitCodesAreTheDocumentedOnes() {
        assertThat(GateRefusal.Reason.VERSION_MISMATCH.exitCode()).isEqualTo(20);
        assertThat(GateRefusal.Reason.KEYSET_MISMATCH.exitCode()).isEqualTo(21);
        assertThat(GateRefusal.Reason.UPGRADE_IN_PROGRESS.exitCode()).isEqualTo(22);
        assertThat(GateRefusal.Reason.DATABASE_UNREACHABLE.exitCode()).isEqualTo(23);
        assertThat(GateRefusal.Reason.SETTINGS_INVALID.exitCode()).isEqualTo(24);
    }
}
