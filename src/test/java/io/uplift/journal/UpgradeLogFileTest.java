package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.LogLine;
import io.uplift.api.UpgradeLog;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade log read by cursor: complete lines only, none lost or repeated, whatever the writer does meanwhile. */
class UpgradeLogFileTest {
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path uplift;

    private UpgradeLogFile log() {
        return new UpgradeLogFile(uplift, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void appendedLinesAreReadBackWithTheirTimeAndTheCursorAfterEach() throws IOException {
        UpgradeLogFile log = log();
        log.append("upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1");
        log.append("step 1.1/checks started: Run the checks");

        UpgradeLog read = log.read(0, 100);

        assertThat(read.lines()).extracting(LogLine::at).containsOnly(T0.toString());
        assertThat(read.lines()).extracting(LogLine::text)
                .containsExactly("upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1", "step 1.1/checks started: Run the checks");
        long firstLineBytes = (T0 + "\tupgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1\n").getBytes(StandardCharsets.UTF_8).length;
        assertThat(read.lines().get(0).next()).isEqualTo(firstLineBytes);
        assertThat(read.next()).isEqualTo(read.lines().get(1).next()).isEqualTo(Files.size(log.file()));
        assertThat(log.read(read.next(), 100)).isEqualTo(new UpgradeLog(List.of(), read.next()));
        assertThat(log.read(read.lines().get(0).next(), 100).lines()).extracting(LogLine::text)
                .containsExactly("step 1.1/checks started: Run the checks");
    }

    @Test
    void aLineBreakInsideAMessageStaysOnItsLineAndAMissingLogReadsEmpty() throws IOException {
        UpgradeLogFile log = log();
        assertThat(log.read(0, 10)).isEqualTo(new UpgradeLog(List.of(), 0));

        log.append("first\nsecond\r\nthird");

        assertThat(log.read(0, 10).lines()).extracting(LogLine::text).containsExactly("first second  third");
    }

    @Test
    void aLineStillBeingWrittenIsNotReturnedUntilItsNewlineArrives() throws IOException {
        UpgradeLogFile log = log();
        log.append("complete");
        Files.write(log.file(), (T0 + "\thalf a li").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        UpgradeLog first = log.read(0, 10);
        assertThat(first.lines()).extracting(LogLine::text).containsExactly("complete");

        Files.write(log.file(), "ne\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        UpgradeLog second = log.read(first.next(), 10);
        assertThat(second.lines()).extracting(LogLine::text).containsExactly("half a line");
        assertThat(second.next()).isEqualTo(Files.size(log.file()));
    }

    @Test
    void atMostMaxLinesComeBackAndTheNextReadGoesOnFromThere() throws IOException {
        UpgradeLogFile log = log();
        for (int i = 0; i < 7; i++) {
            log.append("line " + i);
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        for (int read = 0; read < 4; read++) {
            UpgradeLog page = log.read(cursor, 3);
            assertThat(page.lines()).hasSizeLessThanOrEqualTo(3);
            page.lines().forEach(l -> seen.add(l.text()));
            cursor = page.next();
        }
        assertThat(seen).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6");
    }

    @Test
    void aCursorPastTheEndOrInsideALineMeansTheLogWasReplacedAndReadingStartsOver() throws IOException {
        UpgradeLogFile log = log();
        log.append("one");
        log.append("two");
        long end = log.read(0, 10).next();

        Files.delete(log.file());
        log.append("new");

        assertThat(log.read(end, 10).lines()).extracting(LogLine::text).containsExactly("new");
        assertThat(log.read(3, 10).lines()).as("3 is inside the first line").extracting(LogLine::text).containsExactly("new");
    }

    @Test
    void whileAWriterAppendsAReaderFollowingItsCursorGetsEveryLineOnceInOrder() throws Exception {
        UpgradeLogFile log = log();
        int total = 3000;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    log.append("event " + i + " " + "x".repeat(i % 200));
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        writer.start();
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (seen.size() < total && System.nanoTime() < deadline && failed.get() == null) {
            UpgradeLog page = log.read(cursor, 37);
            assertThat(page.next()).isGreaterThanOrEqualTo(cursor);
            page.lines().forEach(l -> seen.add(l.text()));
            cursor = page.next();
        }
        writer.join();

        assertThat(failed.get()).isNull();
        assertThat(seen).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(seen.get(i)).isEqualTo("event " + i + " " + "x".repeat(i % 200));
        }
    }

    @Test
    void aLinkPlantedAtTheLogIsNeitherWrittenThroughNorRead() throws IOException {
        Path elsewhere = Files.writeString(uplift.resolve("elsewhere.txt"), "2026-01-01T00:00:00Z\tnot the log\n");
        Files.createSymbolicLink(uplift.resolve(UpgradeLogFile.NAME), elsewhere);
        UpgradeLogFile log = log();

        assertThatThrownBy(() -> log.append("x")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.read(0, 10)).isInstanceOf(IOException.class).hasMessageContaining("not a plain file");
        assertThat(Files.readString(elsewhere)).isEqualTo("2026-01-01T00:00:00Z\tnot the log\n");
    }

    @Test
    void theFacadesReadRefusesANegativeCursorOrNoLines() {
        assertThatThrownBy(() -> UpgradeLogFile.readIn(uplift, -1, 10))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> UpgradeLogFile.readIn(uplift, 0, 0))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
    }
}
