package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.UpliftJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uplift db import} killed with SIGKILL in the middle of its data files goes on with
 * {@code --resume} from the files recorded as done, and ends with the source's data; without
 * {@code --resume}, or with another export, the partly loaded target is refused and left as it is,
 * and so is a {@code --resume} once the import has finished.
 */
class DatabaseImportResumeIT {
    @TempDir
    Path temp;

    @Test
    void anImportKilledInTheMiddleResumesFromTheFilesItFinished() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        SplitSource.create(source);
        Map<String, String> sourceSums = TableChecksums.of(source);
        Path work = Files.createDirectories(temp.resolve("work"));
        Path export = temp.resolve("export");
        UpliftJvm.Result exported = UpliftJvm.run(work, Duration.ofMinutes(3), "db", "move", "--source", source.url(), "--target",
                MoveTestDatabase.on16().url(), "--threads", "2", "--export-dir", export.toString(), "--compression", "low", "--yes");
        assertThat(exported.exit()).as(exported.toString()).isZero();
        int files = ExportManifest.read(export).data().size();
        assertThat(files).as("the big table is cut into several files").isGreaterThan(4);

        MoveTestDatabase target = MoveTestDatabase.on16();
        List<String> args = new ArrayList<>(List.of("db", "import", export.toString(), "--target", target.url(), "--threads", "2", "--yes"));
        UpliftJvm child = UpliftJvm.start(work, Map.of(), args);
        child.awaitWhileRunning("a data file recorded as loaded", Duration.ofMinutes(2), () -> target.recordedChunks() > 0);
        child.kill();
        long doneAtKill = target.recordedChunks();
        assertThat(doneAtKill).as("killed in the middle of the data files").isBetween(1L, (long) files - 1);
        String partly = TableChecksums.of(target).toString();

        UpliftJvm.Result again = UpliftJvm.run(work, Duration.ofMinutes(2), args);
        assertThat(again.exit()).as(again.toString()).isEqualTo(23);
        assertThat(again.err()).contains("is not empty").contains("--resume");

        Path other = otherExport(export);
        List<String> otherArgs = new ArrayList<>(List.of("db", "import", other.toString(), "--target", target.url(), "--resume", "--yes"));
        UpliftJvm.Result wrong = UpliftJvm.run(work, Duration.ofMinutes(2), otherArgs);
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(23);
        assertThat(wrong.err()).contains("not of " + other);
        assertThat(TableChecksums.of(target).toString()).as("the refused runs changed nothing").isEqualTo(partly);
        assertThat(target.recordedChunks()).isEqualTo(doneAtKill);

        args.add("--resume");
        UpliftJvm.Result resumed = UpliftJvm.run(work, Duration.ofMinutes(3), args);

        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("rows: " + (files - doneAtKill) + " of " + files + " files");
        assertThat(TableChecksums.of(target)).isEqualTo(sourceSums);
        assertThat(SplitSource.extras(target)).isEqualTo(SplitSource.extras(source));
        assertThat(target.hasMoveRecords()).as("the import's record is dropped at the end").isFalse();

        UpliftJvm.Result finished = UpliftJvm.run(work, Duration.ofMinutes(2), args);
        assertThat(finished.exit()).as(finished.toString()).isEqualTo(23);
        assertThat(finished.err()).contains("no record of an unfinished import").contains("nothing to resume");
        assertThat(TableChecksums.of(target)).isEqualTo(sourceSums);
        assertThat(target.hasMoveRecords()).isFalse();
    }

    /** The same files under a manifest that differs in one harmless field: another export to the import's record. */
    private Path otherExport(Path export) throws Exception {
        Path other = Files.createDirectories(temp.resolve("other"));
        try (var walk = Files.walk(export)) {
            for (Path p : walk.toList()) {
                Path to = other.resolve(export.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path manifest = other.resolve(ExportManifest.FILE);
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        String changed = text.replaceFirst("\"createdAt\"\\s*:\\s*\"", "$0 ");
        assertThat(changed).isNotEqualTo(text);
        Files.writeString(manifest, changed, StandardCharsets.UTF_8);
        return other;
    }
}
