package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 11: the progress report is written through fresh, uniquely named files, never a planted link. */
class ProgressReportLinkTest {
    @TempDir
    Path dir;

    @Test
    void issue13_item11_aLinkPlantedAtProgressJsonTmpIsNotFollowed() throws Exception {
        Path uplift = Files.createDirectories(dir.resolve("home/.uplift"));
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious\n");
        Files.createSymbolicLink(uplift.resolve("progress.json.tmp"), victim);
        ProgressRecorder recorder = new ProgressRecorder(UpgradeListener.NONE, uplift, Clock.systemUTC());

        recorder.stepStarted(new Step("2.1/backup", StepKind.BACKUP, "Back up", ""), false);
        recorder.message("dumping the database");

        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(ProgressRecorder.read(uplift)).hasValueSatisfying(p -> assertThat(p.phase()).isEqualTo("dumping the database"));
        assertThat(Files.isSymbolicLink(uplift.resolve("progress.json"))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(uplift.resolve("progress.json")))).isEqualTo("rw-------");
        try (Stream<Path> left = Files.list(uplift)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("progress.json", "progress.json.tmp");
        }
    }

    @Test
    void aLinkAtProgressJsonItselfIsNeitherReadNorWrittenThrough() throws Exception {
        Path uplift = Files.createDirectories(dir.resolve("home/.uplift"));
        Path victim = dir.resolve("victim.json");
        Files.writeString(victim, "{\"stepId\":\"secret\"}");
        Files.createSymbolicLink(uplift.resolve("progress.json"), victim);

        assertThat(ProgressRecorder.read(uplift)).isEmpty();
        new ProgressRecorder(UpgradeListener.NONE, uplift, Clock.systemUTC())
                .stepStarted(new Step("2.1/backup", StepKind.BACKUP, "Back up", ""), false);

        assertThat(Files.readString(victim)).isEqualTo("{\"stepId\":\"secret\"}");
        assertThat(Files.isSymbolicLink(uplift.resolve("progress.json"))).isFalse();
    }
}
