package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 'uplift keys' and its subcommands explain themselves, and refuse bad input before touching anything. */
class KeysHelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"keys", "keys status", "keys rotate", "keys retire"})
    void everyKeysCommandExplainsItselfWithHelp(String command) {
        String[] args = (command + " --help").split(" ");
        Run run = Run.of(args);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: uplift " + command).contains("--help").contains("--home");
    }

    @Test
    void rotateHelpTellsHowAnInterruptedRotationIsResumedAndTheDefaultGrace() {
        Run run = Run.of("keys", "rotate", "--help");
        assertThat(run.out()).contains("resumed by running it again").contains("default 7d").contains("--yes");
    }

    @Test
    void rootHelpListsTheKeysCommandAndExitCodeTwentyFive() {
        Run run = Run.of("--help");
        assertThat(run.out()).contains("keys").contains("25  keys:");
    }

    @Test
    void aBadThreadCountIsAUsageErrorNamingTheFlagBeforeTheDatabaseIsNeeded(@TempDir Path dir) throws Exception {
        Path home = FakeInstallation.create(dir.resolve("lb"), "1.0");
        var before = FolderSnapshot.of(home, null);
        Run run = Run.of("keys", "rotate", "--home", home.toString(), "--threads", "0");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--threads");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }
}
