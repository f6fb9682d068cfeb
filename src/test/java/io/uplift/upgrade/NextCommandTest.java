package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.TestCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NextCommandTest {
    @TempDir
    Path dir;

    @Test
    void theRecordedCatalogNeedsNoCatalogOption() throws Exception {
        StepFixture f = new StepFixture(dir);
        assertThat(new NextCommand(f.home, f.catalog).of("resume")).isEqualTo("uplift resume --home " + f.home);
    }

    @Test
    void anotherCatalogThanTheRecordedOneIsNamedAgain() throws Exception {
        StepFixture f = new StepFixture(dir);
        var other = TestCatalog.lockbox(dir.resolve("other-catalog")).load();
        assertThat(new NextCommand(f.home, other).of("rollback"))
                .isEqualTo("uplift rollback --home " + f.home + " --catalog " + other.folder());
    }

    @Test
    void aHomeThatCannotBeReadGetsTheCatalogNamedSinceThatIsNeverWrong() throws Exception {
        StepFixture f = new StepFixture(dir);
        Path nowhere = dir.resolve("not-a-home");
        assertThat(new NextCommand(nowhere, f.catalog).of("resume"))
                .isEqualTo("uplift resume --home " + nowhere + " --catalog " + f.catalog.folder());
    }
}
