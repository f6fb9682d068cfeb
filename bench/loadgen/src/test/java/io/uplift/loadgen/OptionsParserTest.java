package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsParserTest {
    @TempDir
    Path dir;

    private Path tokenFile(String content) throws IOException {
        return Files.writeString(dir.resolve("token"), content);
    }

    @Test
    void theDefaultsAreFiftyRequestsASecondTwentyPercentWritesForSixtySeconds() throws Exception {
        Options options = OptionsParser.parse("--url", "http://127.0.0.1:8080", "--token-file",
                tokenFile("lbx_secret-token\n").toString());

        assertThat(options.url()).isEqualTo(URI.create("http://127.0.0.1:8080/"));
        assertThat(options.token()).isEqualTo("lbx_secret-token");
        assertThat(options.rate()).isEqualTo(50);
        assertThat(options.writeShare()).isEqualTo(0.2);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.untilFile()).isNull();
        assertThat(options.toString()).doesNotContain("lbx_secret-token");
    }

    @Test
    void everyFlagIsRead() throws Exception {
        Options options = OptionsParser.parse("--url", "http://localhost:9/", "--token-file", tokenFile("t").toString(),
                "--rate", "200", "--write-share", "0.5", "--workers", "4", "--until-file", "/tmp/done",
                "--report", "r.json", "--quiet", "--verify-deadline", "2m");

        assertThat(options.rate()).isEqualTo(200);
        assertThat(options.writeShare()).isEqualTo(0.5);
        assertThat(options.workers()).isEqualTo(4);
        assertThat(options.duration()).as("no default duration with --until-file").isNull();
        assertThat(options.untilFile()).isEqualTo(Path.of("/tmp/done"));
        assertThat(options.report()).isEqualTo(Path.of("r.json"));
        assertThat(options.quiet()).isTrue();
        assertThat(options.verifyDeadline()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aHostOtherThanLoopbackIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> OptionsParser.loopbackUrl("http://10.0.0.5:8080"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--url").hasMessageContaining("not loopback").hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> OptionsParser.loopbackUrl("https://127.0.0.1:8080"))
                .hasMessageContaining("not http://");
        assertThatThrownBy(() -> OptionsParser.loopbackUrl("http://127.0.0.1"))
                .hasMessageContaining("no port");
        assertThatThrownBy(() -> OptionsParser.loopbackUrl("http://127.0.0.1:80/api"))
                .hasMessageContaining("path");
    }

    @Test
    void aMissingOrEmptyTokenFileIsRefusedWithTheFix() throws IOException {
        Path empty = tokenFile("\n");

        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1"))
                .hasMessageContaining("--token-file is missing");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file",
                dir.resolve("absent").toString()))
                .hasMessageContaining("--token-file").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file", empty.toString()))
                .hasMessageContaining("is empty");
    }

    @Test
    void badNumbersDurationsAndFlagsAreRefused() throws IOException {
        String token = tokenFile("t").toString();

        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file", token, "--rate", "0"))
                .hasMessageContaining("--rate '0'");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file", token,
                "--write-share", "1.5")).hasMessageContaining("--write-share");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file", token,
                "--duration", "soon")).hasMessageContaining("--duration 'soon' is not a duration");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:1", "--token-file", token, "--token", "x"))
                .hasMessageContaining("unknown argument '--token'");
        assertThatThrownBy(() -> OptionsParser.parse("--url")).hasMessageContaining("--url needs a value");
        assertThatThrownBy(() -> OptionsParser.parse("--token-file", token)).hasMessageContaining("--url is missing");
    }

    @Test
    void durationsTakeMillisecondsSecondsAndMinutes() throws UsageException {
        assertThat(OptionsParser.duration("1500ms", "--duration")).isEqualTo(Duration.ofMillis(1500));
        assertThat(OptionsParser.duration("90s", "--duration")).isEqualTo(Duration.ofSeconds(90));
        assertThat(OptionsParser.duration("90", "--duration")).isEqualTo(Duration.ofSeconds(90));
        assertThat(OptionsParser.duration("5m", "--duration")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> OptionsParser.duration("0s", "--duration")).hasMessageContaining("zero");
    }

    @Test
    void severalNodesComeFromRepeatedUrlFlagsAndCommaListsInTheOrderGiven() throws Exception {
        String token = tokenFile("t").toString();

        Options options = OptionsParser.parse("--url", "http://127.0.0.1:8081,http://localhost:8082/", "--token-file", token,
                "--url", "http://127.0.0.1:8083");

        assertThat(options.urls()).containsExactly(URI.create("http://127.0.0.1:8081/"), URI.create("http://localhost:8082/"),
                URI.create("http://127.0.0.1:8083/"));
        assertThat(options.url()).as("the first node").isEqualTo(URI.create("http://127.0.0.1:8081/"));
        assertThat(options.toString()).contains("8083").doesNotContain("token");
    }

    @Test
    void aNodeNamedTwiceAnEmptyEntryOrANonLoopbackNodeIsRefusedNamingIt() throws IOException {
        String token = tokenFile("t").toString();

        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:8081", "--url", "http://127.0.0.1:8081/",
                "--token-file", token)).isInstanceOf(UsageException.class).hasMessageContaining("http://127.0.0.1:8081/ is given twice");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:8081,,http://127.0.0.1:8082", "--token-file", token))
                .hasMessageContaining("empty entry");
        assertThatThrownBy(() -> OptionsParser.parse("--url", "http://127.0.0.1:8081,http://10.1.1.1:8082", "--token-file", token))
                .hasMessageContaining("'10.1.1.1' is not loopback");
    }
}
