package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 'uplift db move' and 'uplift db import' refuse bad options with exit 2, naming the option, before
 * any database is reached: the URLs below point at port 1, where nothing answers.
 */
class DbMoveOptionsTest {
    private static final String SOURCE = "postgresql://app@127.0.0.1:1/app";
    private static final String TARGET = "postgresql://app@127.0.0.1:1/copy";

    private static Run move(String... more) {
        List<String> args = new ArrayList<>(List.of("db", "move", "--source", SOURCE));
        args.addAll(List.of(more));
        args.add("--yes");
        return Run.of(args.toArray(String[]::new));
    }

    @Test
    void aTargetAndANewServerTogetherAreRefusedNamingBoth() {
        Run run = move("--target", TARGET, "--target-version", "16", "--target-dir", "/tmp/x");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--target").contains("--target-version").contains("mutually exclusive");
    }

    @Test
    void neitherATargetNorANewServerIsRefusedNamingBoth() {
        Run run = move();
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--target=URL").contains("--target-version=MAJOR");
    }

    @Test
    void aTargetVersionWithoutItsFolderIsRefused() {
        Run run = move("--target-version", "16");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--target-dir");
    }

    @Test
    void aTargetPasswordFileWithoutATargetIsRefused() {
        Run run = move("--target-password-file", "/tmp/pw", "--target-version", "16", "--target-dir", "/tmp/x");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--target-password-file").contains("--target-version");
    }

    @Test
    void aFilterAndTheThreatPresetTogetherAreRefused() {
        Run run = move("--target", TARGET, "--filter", "events=id > 1", "--only-threat-events");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--filter").contains("--only-threat-events");
    }

    @Test
    void severalFiltersAreOneChoiceNotSeveral() {
        Run run = move("--target", TARGET, "--filter", "events=id > 1", "--filter", "users=id > 1", "--delete-source");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).as("reaches the request's own check, past picocli's groups").contains("--delete-source cannot go with --filter");
    }

    @Test
    void compressionWithoutAnExportIsRefused() {
        Run run = move("--target", TARGET, "--compression", "low");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--export-dir").contains("--compression");
    }

    @ParameterizedTest
    @CsvSource({"--compression,max,none, low, medium or high", "--threads,0,from 1 to 64", "--threads,65,from 1 to 64",
            "--threads,many,reliable, recommended, performant"})
    void aBadValueIsRefusedNamingItsOption(String option, String value, String fix) {
        Run run = move("--target", TARGET, "--export-dir", "/tmp/export-never-made", option, value);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(option).contains(value).contains(fix);
    }

    @ParameterizedTest
    @CsvSource({"--skip-validation,--delete-source needs a passed validation", "--only-threat-events,--delete-source cannot go with"
            + " --only-threat-events"})
    void deleteSourceIsRefusedWhereValidationCannotVouchForIt(String flag, String message) {
        Run run = move("--target", TARGET, "--delete-source", flag);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    @ParameterizedTest
    @CsvSource({"--resume", "--drop-source-indexes"})
    void validateOnlyCompares(String flag) {
        Run run = move("--target", TARGET, "--validate", flag);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--validate only compares");
    }

    @Test
    void validateNeedsATargetDatabase() {
        Run run = move("--target-version", "16", "--target-dir", "/tmp/x", "--validate");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--validate needs --target URL");
    }

    @Test
    void aFilterNotOfTheFormTableEqualsPredicateIsRefused() {
        Run run = move("--target", TARGET, "--filter", "events");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--filter events must be TABLE=SQL-PREDICATE");
    }

    @Test
    void anImportWithBadThreadsIsRefusedBeforeReadingTheExport() {
        Run run = Run.of("db", "import", "/nonexistent-export", "--target", TARGET, "--threads", "0", "--yes");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("Invalid value for option '--threads'").doesNotContain("error:");
    }

    @Test
    void theHelpShowsTheTargetChoiceAndEveryOption() {
        Run run = Run.of("db", "move", "--help");
        assertThat(run.exit()).isZero();
        for (String option : List.of("--source", "--source-password-file", "--target", "--target-password-file", "--target-version",
                "--target-dir", "--threads", "--filter", "--only-threat-events", "--pg-tools-dir", "--resume", "--validate",
                "--skip-validation", "--export-dir", "--compression", "--drop-source-indexes", "--delete-source", "--yes")) {
            assertThat(run.out()).contains(option);
        }
    }
}
