package io.uplift.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.install.DatabaseProbe;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that judge what the database probe found; the probe itself is a value here. */
class DatabaseChecksTest {
    @TempDir
    Path dir;
    CheckFixture f;

    @BeforeEach
    void fixture() {
        f = new CheckFixture(dir, "1.0");
    }

    @Test
    void aDatabaseThatAnswersPassesNamingTheUrlAndServerVersion() {
        CheckResult r = new DatabaseReachableCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).isEqualTo("jdbc:postgresql://127.0.0.1:1/lockbox answers (PostgreSQL 10.23)");
    }

    @Test
    void aDatabaseThatDoesNotAnswerFailsWithItsErrorAndHowToStartIt() {
        f.database = CheckFixture.UNREACHABLE;

        CheckResult r = new DatabaseReachableCheck().run(f.to("2.1", OptionalInt.of(10)));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).contains("does not answer: Connection refused");
        assertThat(r.remedy()).contains("uplift db start --home " + f.home.toAbsolutePath().normalize())
                .contains("config/database.properties");
    }

    @Test
    void aServerEveryReleaseOnThePathAcceptsPasses() {
        CheckResult r = new DatabaseVersionCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).isEqualTo("PostgreSQL 10.23 suits every release on the path");
    }

    @Test
    void anOldServerThePlanMovesIsAWarningNamingTheMoveAndItsHop() {
        CheckResult r = new DatabaseVersionCheck().run(f.to("3.0"));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.observed()).contains("PostgreSQL 10 found, 3.0 needs >=14")
                .contains("moves the database to PostgreSQL 16 in the hop 2.1 -> 3.0");
        assertThat(r.remedy()).contains("the move is part of the plan");
    }

    @Test
    void anOldServerNoMoveIsPlannedForFailsNamingTheRangeAndTheFix() {
        f.database = new DatabaseProbe(true, "", OptionalInt.of(12), "12.19", 0, Optional.empty());

        CheckResult r = new DatabaseVersionCheck().run(f.to("3.0", OptionalInt.empty()));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).isEqualTo("PostgreSQL 12 found, 3.0 needs >=14 and the catalog plans no database move");
        assertThat(r.remedy()).contains("upgrade the database server");
    }

    @Test
    void anUnknownServerVersionFailsAskingForADatabaseThatAnswers() {
        f.database = CheckFixture.UNREACHABLE;

        CheckResult r = new DatabaseVersionCheck().run(f.to("2.1", OptionalInt.of(10)));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).contains("the server version is unknown");
    }

    @Test
    void theKeysetIsNotComparedWhenTheDatabaseDoesNotAnswerAndThatIsAWarning() {
        f.database = CheckFixture.UNREACHABLE;

        CheckResult r = new KeysetMatchesDatabaseCheck().run(f.to("2.1", OptionalInt.of(10)));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.observed()).isEqualTo("not compared: the database does not answer");
    }

    @Test
    void theKeysetIsNotComparedWhenTheDatabaseRefusesTheConnectionAndThatIsAWarningQuotingTheRefusal() {
        // The probe said it answered; the settings point at a closed port, as when the server went away meanwhile.
        CheckResult r = new KeysetMatchesDatabaseCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.observed()).startsWith("not compared: the database refused the query: ").contains("127.0.0.1:1");
    }
}
