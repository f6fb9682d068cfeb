package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress bar's lines on a terminal of a given width, and under reports from two threads. */
class TerminalProgressTest {
    private static final long HUGE = 9_876_543_210_987L;

    /** Every row a redraw leaves: the text between two {@code \r} or {@code \n}. */
    private static List<String> rows(String output) {
        return List.of(output.split("[\r\n]", -1)).stream().filter(r -> !r.isEmpty()).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 80, 120})
    void issue14_item6_aRedrawnLineStaysShorterThanTheTerminalSoItNeverWraps(int columns) {
        for (String label : List.of("Re-encrypting", "Verifying   ", "  rows",
                "  Copying the database into the new PostgreSQL cluster under a long step title")) {
            StringWriter out = new StringWriter();
            TerminalProgress bar = new TerminalProgress(new PrintWriter(out), label, "values", columns, 0);
            for (long done = 0; done <= HUGE; done += HUGE / 7) {
                bar.progress(done, HUGE);
            }
            bar.progress(HUGE, HUGE);

            List<String> rows = rows(out.toString());
            assertThat(rows).as("label %s", label).hasSizeGreaterThan(2);
            // A row exactly one column short: never wraps, and covers whatever a longer earlier redraw left.
            assertThat(rows).as("label %s at %d columns", label, columns).allSatisfy(row -> assertThat(row).hasSize(columns - 1));
            assertThat(out.toString()).as("one newline, after the finished line").endsWith("\n").containsOnlyOnce("\n");
            assertThat(rows.get(rows.size() - 1)).startsWith(label.substring(0, Math.min(label.length(), columns - 1)));
        }
    }

    @Test
    void issue14_item6_theKeyRotationBarKeepsBarAndNumbersAtOneHundredTwentyColumns() {
        StringWriter out = new StringWriter();
        TerminalProgress bar = new TerminalProgress(new PrintWriter(out), "Re-encrypting", "values", 120, 0);
        bar.progress(0, 12_345_678);
        bar.progress(12_345_678, 12_345_678);

        String last = rows(out.toString()).get(1);
        assertThat(last).hasSize(119).startsWith("Re-encrypting [").contains("100% 12,345,678/12,345,678 values, ").contains("done");
    }

    @Test
    void issue14_item6_withoutATerminalThePlainLinesAreUnchanged() {
        StringWriter out = new StringWriter();
        TerminalProgress bar = new TerminalProgress(new PrintWriter(out), "Backing up", "bytes", 0, 0);
        bar.progress(0, 1000);
        bar.progress(500, 1000);
        bar.progress(1000, 1000);

        List<String> lines = out.toString().lines().toList();
        assertThat(out.toString()).doesNotContain("\r");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Backing up [..............................]   0% 0/1,000 bytes, 0 bytes/s, ETA ...   ");
        assertThat(lines.get(1)).startsWith("Backing up [###############...............]  50% 500/1,000 bytes, ");
        assertThat(lines.get(2)).startsWith("Backing up [##############################] 100% 1,000/1,000 bytes, ").endsWith(", done   ");
    }

    @Test
    void issue14_item6_whereJLineCannotTellTheColumnsVariableOrEightyColumnsServe() {
        assertThat(TerminalWidth.fromColumnsVariable("132")).isEqualTo(132);
        assertThat(TerminalWidth.fromColumnsVariable(" 100 ")).isEqualTo(100);
        assertThat(TerminalWidth.fromColumnsVariable(null)).isEqualTo(80);
        assertThat(TerminalWidth.fromColumnsVariable("0")).isEqualTo(80);
        assertThat(TerminalWidth.fromColumnsVariable("wide")).isEqualTo(80);
        assertThat(TerminalWidth.fromColumnsVariable("99999999999")).isEqualTo(80);
    }

    @Test
    void issue14_item6_twoThreadsReportingAtOnceLeaveOnlyWholeLines() throws Exception {
        StringWriter out = new StringWriter();
        TerminalProgress bar = new TerminalProgress(new PrintWriter(out), "  rows", "bytes", 80, 0);
        long total = 2 * 3_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> workers = List.of(0, 1).stream().map(offset -> pool.submit(() -> {
                start.await();
                for (long i = 0; i < 3_000; i++) {
                    bar.progress(2 * i + offset, total);
                }
                return null;
            })).toList();
            start.countDown();
            for (Future<Object> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        bar.progress(total, total);
        bar.progress(total, total); // a second "finished" (the other thread's) draws nothing

        String output = out.toString();
        List<String> rows = rows(output);
        assertThat(rows).hasSizeGreaterThan(100);
        assertThat(rows).allSatisfy(row -> assertThat(row)
                .hasSize(79).matches("  rows \\[[#.]{10,30}\\] +\\d+% [\\d,]+/6,000 bytes, [\\d,]+ bytes/s, (ETA \\S+|done) *"));
        assertThat(output).startsWith("\r").endsWith("\n").containsOnlyOnce("\n");
        assertThat(output.split("\r", -1)).hasSize(rows.size() + 1);
    }
}
