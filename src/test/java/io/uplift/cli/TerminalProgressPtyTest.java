package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar in a real pseudo-terminal of 120 columns (tmux), where the issue was seen: the bar's
 * redraws stay on one row. Skipped where tmux is not installed.
 */
class TerminalProgressPtyTest {
    @TempDir
    Path dir;

    @Test
    void issue14_item6_inARealHundredTwentyColumnTerminalTheKeyRotationBarStaysOnOneRow() throws Exception {
        assumeTrue(run(List.of("tmux", "-V")) == 0, "tmux is not installed");
        String socket = "uplift-bar-" + ProcessHandle.current().pid();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path script = dir.resolve("draw.sh");
        // The session keeps its pane after the program ends (cat waits on the terminal) until the server is killed.
        Files.writeString(script, "'" + java + "' -cp '" + classPath + "' " + TerminalProgressPtyMain.class.getName()
                + "; tmux -L " + socket + " wait-for -S drawn; exec cat\n");
        try {
            assertThat(run(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30",
                    "sh " + script))).isZero();
            assertThat(run(List.of("tmux", "-L", socket, "wait-for", "drawn"))).isZero();
            Path screen = dir.resolve("screen.txt");
            assertThat(run(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "0"), screen)).isZero();

            List<String> rows = Files.readAllLines(screen, StandardCharsets.UTF_8).stream().filter(r -> !r.isBlank()).toList();
            assertThat(rows).as("the screen:%n%s", String.join("\n", rows)).hasSize(2);
            // At 120 columns (measured by JLine: COLUMNS is not set here) the line keeps its rate; at 80 (the
            // fallback) it could not.
            assertThat(rows.get(0)).hasSizeLessThan(120)
                    .matches("Re-encrypting (\\[#+\\] )?100% 98,765,432,109,876/98,765,432,109,876 values, [\\d,]+ values/s, done");
            assertThat(rows.get(1)).isEqualTo("drawn");
        } finally {
            run(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    @Test
    void issue14_item6_measuringTheWidthWritesNoTerminalQueries() throws Exception {
        assumeTrue(run(List.of("script", "-V")) == 0, "script (util-linux) is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path typescript = dir.resolve("typescript");
        // script gives the program a pseudo-terminal and records every byte written to it.
        assertThat(run(List.of("script", "-q", "-e", "-c", "stty cols 120; '" + java + "' -cp '" + classPath + "' "
                + TerminalProgressPtyMain.class.getName(), typescript.toString()))).isZero();

        String written = Files.readString(typescript, StandardCharsets.UTF_8);
        assertThat(written).contains("100% 98,765,432,109,876/98,765,432,109,876 values, ").contains("drawn");
        // JLine's default probe writes queries (ESC [ c, ESC [ 6n, ...) and reads the answers from standard input.
        assertThat(written).as(written).doesNotContain("\u001b");
    }

    private int run(List<String> command) throws Exception {
        return run(command, null);
    }

    private int run(List<String> command, Path output) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().remove("COLUMNS");
        builder.environment().remove("TMUX");
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        builder.redirectInput(new File("/dev/null"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return process.exitValue();
    }
}
