package io.uplift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The requests of the facade refuse a bad value themselves, naming the option, before any work starts. */
class RequestValidationTest {
    @Test
    void anUpgradeTargetMustBeAVersionAndTheErrorNamesTheToOption() {
        assertThat(new UpgradeTarget("2.1").version()).isEqualTo("2.1");
        assertThat(new UpgradeTarget("9.1.000001").toString()).isEqualTo("9.1.000001");
        for (String bad : new String[] {"latest", "2.", ".1", "", "2.x"}) {
            assertThatThrownBy(() -> new UpgradeTarget(bad)).isInstanceOfSatisfying(UpliftException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                assertThat(e.getMessage()).startsWith("--to '" + bad + "' is not a version");
            });
        }
        assertThatThrownBy(() -> new UpgradeTarget(null)).isInstanceOf(UpliftException.class).hasMessageContaining("--to");
    }

    @Test
    void demoSettingsRefuseANegativeEventCountAndAMissingCatalog() {
        assertThatThrownBy(() -> new DemoSettings(-1, 42, Path.of("catalog"))).isInstanceOf(UpliftException.class)
                .hasMessageContaining("--events must be 0 or more, got -1");
        assertThatThrownBy(() -> new DemoSettings(10, 42, null)).isInstanceOf(UpliftException.class).hasMessageContaining("--catalog");
        assertThat(new DemoSettings(0, 42, Path.of("catalog")).events()).isZero();
    }

    @Test
    void backupSettingsRefuseKeepingNoBackup() {
        assertThatThrownBy(() -> new BackupSettings(Optional.empty(), 0, Set.of())).isInstanceOf(UpliftException.class)
                .hasMessageContaining("--keep must be 1 or more");
    }
}
