package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.TreeHash;
import io.uplift.api.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging and swapping the program files: each apply and undo finishes whatever an interrupted one left. */
class ProgramFilesStepsTest {
    @TempDir
    Path dir;
    StepFixture f;
    StepContext stage;
    StepContext swap;
    String oldHash;
    String newHash;

    @BeforeEach
    void fixture() throws Exception {
        f = new StepFixture(dir);
        stage = f.context(StepKind.STAGE_PROGRAM_FILES);
        swap = f.context(StepKind.SWAP_PROGRAM_FILES);
        oldHash = f.release("1.0").programFilesSha256();
        newHash = f.release("1.1").programFilesSha256();
        assertThat(TreeHash.of(f.app())).isEqualTo(oldHash).isNotEqualTo(newHash);
    }

    @Test
    void stagingCopiesTheReleaseNextToTheRunningFilesWhichStayAsTheyWere() throws Exception {
        new StageProgramFilesStep().apply(stage);

        assertThat(stage.staging()).isEqualTo(f.home.resolve(".uplift/staging/1.1/app"));
        assertThat(TreeHash.of(stage.staging())).isEqualTo(newHash);
        assertThat(TreeHash.of(f.app())).isEqualTo(oldHash);
        assertThat(stage.staging().resolveSibling("app.partial")).doesNotExist();
        assertThatCode(() -> new StageProgramFilesStep().verify(stage)).doesNotThrowAnyException();
    }

    @Test
    void stagingAgainAfterAnInterruptedCopyReplacesTheHalfCopiedAndDamagedFolders() throws Exception {
        Files.createDirectories(stage.staging().resolveSibling("app.partial"));
        Files.writeString(stage.staging().resolveSibling("app.partial/half"), "half");
        Files.createDirectories(stage.staging());
        Files.writeString(stage.staging().resolve("VERSION"), "damaged\n");

        new StageProgramFilesStep().apply(stage);

        assertThat(TreeHash.of(stage.staging())).isEqualTo(newHash);
        assertThat(stage.staging().resolveSibling("app.partial")).doesNotExist();
    }

    @Test
    void stagingAgainLeavesAnIntactStagedCopyAlone() throws Exception {
        new StageProgramFilesStep().apply(stage);
        Object inode = Files.getAttribute(stage.staging().resolve("VERSION"), "unix:ino");

        new StageProgramFilesStep().apply(stage);

        assertThat(Files.getAttribute(stage.staging().resolve("VERSION"), "unix:ino")).isEqualTo(inode);
    }

    @Test
    void aStagedCopyThatNoLongerMatchesTheChecksumFailsVerifyAsACorruptRelease() throws Exception {
        new StageProgramFilesStep().apply(stage);
        Files.writeString(stage.staging().resolve("VERSION"), "bit rot\n");

        assertThatThrownBy(() -> new StageProgramFilesStep().verify(stage))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RELEASE_CORRUPT))
                .hasMessageContaining(stage.staging().toString()).hasMessageContaining("uplift resume");
    }

    @Test
    void undoingTheStagingRemovesTheStagedReleaseAndNothingElse() throws Exception {
        new StageProgramFilesStep().apply(stage);

        new StageProgramFilesStep().undo(stage);
        new StageProgramFilesStep().undo(stage);

        assertThat(f.home.resolve(".uplift/staging/1.1")).doesNotExist();
        assertThat(TreeHash.of(f.app())).isEqualTo(oldHash);
    }

    @Test
    void theSwapPutsTheNewFilesInPlaceAndKeepsTheOldOnesUnderPrevious() throws Exception {
        new StageProgramFilesStep().apply(stage);

        new SwapProgramFilesStep().apply(swap);

        assertThat(TreeHash.of(f.app())).isEqualTo(newHash);
        assertThat(swap.previous()).isEqualTo(f.home.resolve(".uplift/previous/1.0/app"));
        assertThat(TreeHash.of(swap.previous())).isEqualTo(oldHash);
        assertThat(swap.staging()).doesNotExist();
        assertThatCode(() -> new SwapProgramFilesStep().verify(swap)).doesNotThrowAnyException();
    }

    @Test
    void swappingAgainAfterItIsDoneChangesNothing() throws Exception {
        new StageProgramFilesStep().apply(stage);
        new SwapProgramFilesStep().apply(swap);

        new SwapProgramFilesStep().apply(swap);

        assertThat(TreeHash.of(f.app())).isEqualTo(newHash);
        assertThat(TreeHash.of(swap.previous())).isEqualTo(oldHash);
    }

    @Test
    void aSwapInterruptedBetweenItsTwoRenamesIsFinishedByTheNextApply() throws Exception {
        new StageProgramFilesStep().apply(stage);
        FileTrees.rename(f.app(), swap.previous()); // the crash came after the first rename

        new SwapProgramFilesStep().apply(swap);

        assertThat(TreeHash.of(f.app())).isEqualTo(newHash);
        assertThat(TreeHash.of(swap.previous())).isEqualTo(oldHash);
    }

    @Test
    void undoingTheSwapBringsTheOldFilesBackAndTheNewOnesToStagingAndIsSafeToRepeat() throws Exception {
        new StageProgramFilesStep().apply(stage);
        new SwapProgramFilesStep().apply(swap);

        new SwapProgramFilesStep().undo(swap);
        new SwapProgramFilesStep().undo(swap);

        assertThat(TreeHash.of(f.app())).isEqualTo(oldHash);
        assertThat(TreeHash.of(swap.staging())).isEqualTo(newHash);
        assertThat(swap.previous()).doesNotExist();
    }

    @Test
    void undoingASwapThatNeverRanLeavesTheRunningFilesAlone() throws Exception {
        new SwapProgramFilesStep().undo(swap);

        assertThat(TreeHash.of(f.app())).isEqualTo(oldHash);
    }

    @Test
    void verifyingASwapThatDidNotHappenFailsTheUpgradeNamingWhereThePreviousFilesAre() {
        assertThatThrownBy(() -> new SwapProgramFilesStep().verify(swap))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_FAILED))
                .hasMessageContaining("does not hold release 1.1").hasMessageContaining(swap.previous().toString());
    }

    @Test
    void theNodeLocalFilesStepPassesWhenAllArePresentAndNamesTheMissingOnesOtherwise() throws Exception {
        StepContext carry = f.context(StepKind.CARRY_NODE_LOCAL_FILES);
        assertThatCode(() -> new NodeLocalFilesStep().apply(carry)).doesNotThrowAnyException();

        Files.delete(f.home.resolve("config/keyset.json"));

        assertThatThrownBy(() -> new NodeLocalFilesStep().apply(carry))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_FAILED))
                .hasMessageContaining(": config/keyset.json.").hasMessageContaining("never from another node");
        new NodeLocalFilesStep().undo(carry);
        assertThat(f.home.resolve("config/keyset.json")).doesNotExist();
    }
}
