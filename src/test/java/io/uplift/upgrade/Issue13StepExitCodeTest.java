package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 16: a failed step that says more than "a step failed" keeps its own exit code. The
 * real path for 19 runs in Issue13LockingIT; a move whose validation finds differences (24) cannot be
 * provoked from outside without corrupting PostgreSQL, so its mapping is checked here.
 */
class Issue13StepExitCodeTest {
    @Test
    void issue13_item16_aStepFailingWithValidationDifferencesOrAChecksumMismatchKeepsItsExitCode() {
        assertThat(StepRunner.exitCodeOf(new UpliftException(ErrorCode.VALIDATION_FAILED, "differs"))).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(StepRunner.exitCodeOf(new UpliftException(ErrorCode.RELEASE_CORRUPT, "checksum"))).isEqualTo(ErrorCode.RELEASE_CORRUPT);
        assertThat(StepRunner.exitCodeOf(new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "cut"))).isEqualTo(ErrorCode.UPGRADE_FAILED);
        assertThat(StepRunner.exitCodeOf(new IOException("disk full"))).isEqualTo(ErrorCode.UPGRADE_FAILED);
    }
}
