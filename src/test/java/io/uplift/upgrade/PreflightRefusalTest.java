package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upgrade starts only when no preflight check failed: {@link UpgradeEngine#refuseFailedChecks}. */
class PreflightRefusalTest {
    @Test
    void warningsDoNotStopTheUpgrade() {
        CheckReport report = new CheckReport("1.0", "1.1", List.of(CheckResult.pass("a", "Java", "17"),
                CheckResult.warn("b", "Disk", "low", "free some")));
        assertThatCode(() -> UpgradeEngine.refuseFailedChecks(report)).doesNotThrowAnyException();
    }

    @Test
    void everyFailedCheckIsListedWithWhatToDo() {
        CheckReport report = new CheckReport("1.0", "1.1", List.of(CheckResult.fail("a", "Java", "11 found", "install Java 17"),
                CheckResult.pass("b", "Disk", "plenty"), CheckResult.fail("c", "PostgreSQL", "9.6 found", "upgrade it")));
        assertThatThrownBy(() -> UpgradeEngine.refuseFailedChecks(report)).isInstanceOfSatisfying(UpliftException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PREFLIGHT_FAILED);
            assertThat(e.getMessage()).contains("nothing was changed", "\n  Java: 11 found; what to do: install Java 17",
                    "\n  PostgreSQL: 9.6 found; what to do: upgrade it").doesNotContain("Disk");
        });
    }
}
