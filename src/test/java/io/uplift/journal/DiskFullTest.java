package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskOrQuotaIsRecognisedAnywhereInTheCauseChainAndOtherFailuresAreNot() {
        assertThat(DiskFull.is(new RuntimeException("copy failed", new IOException("write: No space left on device")))).isTrue();
        assertThat(DiskFull.is(new IOException("Disk quota exceeded"))).isTrue();
        assertThat(DiskFull.is(new IOException("Permission denied"))).isFalse();
        assertThat(DiskFull.is(new IOException((String) null))).isFalse();
    }

    @Test
    void theMessageNamesTheFolderTheKindOfFullnessAndTheFreeSpaceOfTheNearestExistingFolder() {
        String quota = DiskFull.at(dir.resolve("not/yet"), new IOException("x", new IOException("Disk quota exceeded")));
        String full = DiskFull.at(dir, new IOException("No space left on device"));

        assertThat(quota).startsWith("The disk at " + dir.resolve("not/yet") + " is full (Disk quota exceeded; ")
                .matches(".* \\d+ MB free there now\\)");
        assertThat(full).contains("(No space left on device; ");
    }

    @Test
    void explainWrapsAFullDiskOnceKeepingTheCauseAndLeavesOtherErrorsAsTheyAre() {
        IOException full = new IOException("No space left on device");
        IOException other = new IOException("Permission denied");

        IOException explained = DiskFull.explain(full, dir);

        assertThat(explained.getMessage()).startsWith("The disk at " + dir).endsWith(": make room there");
        assertThat(explained.getCause()).isSameAs(full);
        assertThat(DiskFull.explain(explained, dir)).as("not wrapped twice").isSameAs(explained);
        assertThat(DiskFull.explain(other, dir)).isSameAs(other);
    }
}
