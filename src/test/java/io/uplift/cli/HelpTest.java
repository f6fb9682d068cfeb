package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"status", "plan", "check", "demo", "db", "tokens"})
    void everyCommandExplainsItselfWithHelp(String command) {
        Run run = Run.of(command, "--help");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: uplift " + command).contains("--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "reissue", "revoke"})
    void everyTokensCommandExplainsItselfWithHelp(String command) {
        Run run = Run.of("tokens", command, "--help");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: uplift tokens " + command).contains("--home").contains("--json");
    }

    @Test
    void rootHelpListsTheExitCodes() {
        Run run = Run.of("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Exit codes:").contains("11  no legal upgrade plan").contains("plan").contains("check");
    }

    @Test
    void anUnknownFlagIsAUsageErrorNamingTheFlag() {
        Run run = Run.of("plan", "--to", "3.0", "--frobnicate");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--frobnicate");
    }

    @Test
    void planWithoutTargetSaysWhichFlagIsMissing() {
        Run run = Run.of("plan");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--to");
    }

    @Test
    void aHomeThatIsNotAnInstallationIsExitTwelveNamingTheStateFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Run run = Run.of("status", "--home", dir.toString());
        assertThat(run.exit()).isEqualTo(12);
        assertThat(run.err()).contains(dir.toString()).contains(".uplift/state.json").contains("--home");
    }
}
