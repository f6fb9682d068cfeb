package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'uplift dr refresh' on the command line: its help, and the usage errors that need no installation. */
class DrCommandTest {
    @Test
    void refreshExplainsItselfWithItsExitCodes() {
        Run run = Run.of("dr", "refresh", "--help");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: uplift dr refresh").contains("--from=PRIMARY_HOME_OR_URL").contains("--backup-dir")
                .contains("--password-file=FILE").contains("PGPASSWORD").contains("~/.pgpass").contains("Exit 2");
    }

    @Test
    void aUrlThatIsNotPostgresqlIsAUsageError(@TempDir Path dir) {
        Run run = Run.of("dr", "refresh", "--home", dir.toString(), "--from", "https://primary.example.org:8443/lockbox");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("is not a PostgreSQL URL").contains("Nothing was changed");
    }

    @Test
    void aPasswordInTheUrlIsAUsageErrorThatDoesNotRepeatIt(@TempDir Path dir) {
        Run run = Run.of("dr", "refresh", "--home", dir.toString(), "--from", "postgresql://app:hunter2@db1.example.org/lockbox");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("holds a password").contains("--password-file").doesNotContain("hunter2");
        assertThat(run.out()).doesNotContain("hunter2");
    }

    @Test
    void withoutFromItIsAUsageErrorNamingTheFlag(@TempDir Path dir) {
        Run run = Run.of("dr", "refresh", "--home", dir.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--from");
    }

    @Test
    void aDrHomeThatIsNotAnInstallationIsExitTwelve(@TempDir Path dir) {
        Run run = Run.of("dr", "refresh", "--home", dir.toString(), "--from", dir.resolve("primary").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains(".uplift/state.json");
    }
}
