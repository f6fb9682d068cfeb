package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.TreeHash;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the staged program files in place of the running ones with two atomic renames: app/ to
 * .uplift/previous/FROM/app, then the staged folder to app/. Whichever instant a crash hits, each
 * folder is whole and in one of those places, and apply or undo picks up from there.
 */
final class SwapProgramFilesStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) throws Exception {
        Path app = c.home().resolve("app");
        String expected = StageProgramFilesStep.expectedHash(c);
        if (!Files.exists(c.previous()) && Files.exists(app) && !TreeHash.of(app).equals(expected)) {
            FileTrees.rename(app, c.previous());
        }
        if (!Files.exists(app) && Files.exists(c.staging())) {
            FileTrees.rename(c.staging(), app);
        }
    }

    @Override
    public void verify(StepContext c) {
        Path app = c.home().resolve("app");
        if (!Files.isDirectory(app) || !TreeHash.of(app).equals(StageProgramFilesStep.expectedHash(c))) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "After the swap, " + app + " does not hold release "
                    + c.release().version() + "; the previous files are in " + c.previous() + ". Run 'uplift resume' or 'uplift rollback'.");
        }
    }

    @Override
    public void undo(StepContext c) throws Exception {
        Path app = c.home().resolve("app");
        if (!Files.exists(c.previous())) {
            return; // never swapped, or already swapped back
        }
        if (Files.exists(app)) {
            FileTrees.rename(app, c.staging());
        }
        FileTrees.rename(c.previous(), app);
    }
}
