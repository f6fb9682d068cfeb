package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.TreeHash;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies the new release's program files to .uplift/staging/VERSION/app, next to the running ones. */
final class StageProgramFilesStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) throws Exception {
        Path staged = c.staging();
        String expected = expectedHash(c);
        if (Files.isDirectory(staged) && TreeHash.of(staged).equals(expected)) {
            return;
        }
        FileTrees.delete(staged);
        Path partial = staged.resolveSibling("app.partial");
        FileTrees.delete(partial);
        FileTrees.copy(c.release().programFiles(), partial);
        FileTrees.rename(partial, staged);
    }

    @Override
    public void verify(StepContext c) {
        if (!TreeHash.of(c.staging()).equals(expectedHash(c))) {
            throw new UpliftException(ErrorCode.RELEASE_CORRUPT, "The staged program files in " + c.staging()
                    + " do not match release " + c.release().version() + "'s checksum; the disk may be failing. Run 'uplift resume' to stage them again.");
        }
    }

    @Override
    public void undo(StepContext c) throws Exception {
        FileTrees.delete(c.staging().getParent());
    }

    static String expectedHash(StepContext c) {
        return c.release().programFilesSha256(); // required by the catalog loader
    }
}
