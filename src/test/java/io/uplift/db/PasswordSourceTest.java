package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordSourceTest {
    @TempDir
    Path temp;

    private final List<String> warnings = new ArrayList<>();
    private final List<String> questions = new ArrayList<>();

    private PasswordSource source(Map<String, String> env, String typed) {
        return new PasswordSource(env, q -> {
            questions.add(q);
            return Optional.ofNullable(typed).map(String::toCharArray);
        });
    }

    private String password(PasswordSource source, String text, Optional<Path> file) {
        ConnectionString c = ConnectionString.parse("--source", text, Map.of());
        return source.passwordFor(c, "--source", "--source-password-file", file, warnings::add);
    }

    private Path file(String name, String content, String mode) throws Exception {
        Path f = temp.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void issue13_item10_aPasswordFileReadableByOthersIsRefusedWithTheChmodToRun() throws Exception {
        Path f = file("pw", "s3cret\n", "rw-r--r--");

        assertThatThrownBy(() -> password(source(Map.of(), null), "postgresql://u@h/db", Optional.of(f)))
                .isInstanceOf(UpliftException.class)
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("--source-password-file " + f).hasMessageContaining("chmod 600 " + f)
                .hasMessageContaining("rw-r--r--").hasMessageNotContaining("s3cret");
    }

    @Test
    void issue13_item10_aPrivatePasswordFileGivesItsFirstLineWithoutWarning() throws Exception {
        Path f = file("pw", "s3cret: with spaces\nignored\n", "rw-------");

        assertThat(password(source(Map.of("PGPASSWORD", "other"), null), "postgresql://u@h/db", Optional.of(f))).isEqualTo("s3cret: with spaces");
        assertThat(warnings).isEmpty();
    }

    @Test
    void issue13_item10_aPasswordInTheUrlStillWorksButWarnsThatPsShowsItAndNamesTheSaferWays() {
        assertThat(password(source(Map.of(), null), "postgresql://u:pw@h/db", Optional.empty())).isEqualTo("pw");

        assertThat(warnings).singleElement().asString().contains("ps").contains("--source-password-file").contains("~/.pgpass")
                .contains("PGPASSWORD").doesNotContain(":pw");
    }

    @Test
    void issue13_item10_aPasswordBothInTheUrlAndInAFileIsRefused() throws Exception {
        Path f = file("pw", "x\n", "rw-------");

        assertThatThrownBy(() -> password(source(Map.of(), null), "postgresql://u:pw@h/db", Optional.of(f)))
                .hasMessageContaining("give it once");
    }

    @Test
    void issue13_item10_pgpasswordComesBeforeThePgpassFile() throws Exception {
        Path pgpass = file("pgpass", "*:*:*:*:from-file\n", "rw-------");

        assertThat(password(source(Map.of("PGPASSWORD", "from-env", "PGPASSFILE", pgpass.toString()), null), "postgresql://u@h/db",
                Optional.empty())).isEqualTo("from-env");
        assertThat(warnings).isEmpty();
    }

    @Test
    void issue13_item10_thePgpassFileIsSearchedAsLibpqDoesWithEscapesAndWildcards() throws Exception {
        file(".pgpass", "# comment\nother:5432:*:u:wrong\nh:5433:db:u:no-port-match\nh:5432:db:u:a\\:b\\\\c\n", "rw-------");
        Map<String, String> home = Map.of("HOME", temp.toString());

        assertThat(password(source(home, null), "postgresql://u@h/db", Optional.empty())).isEqualTo("a:b\\c");

        file("named", "localhost:6000:*:*:via-socket\n", "rw-------");
        assertThat(password(source(Map.of(), null), "host=/run/pg port=6000 dbname=d user=x passfile=" + temp.resolve("named"),
                Optional.empty())).isEqualTo("via-socket");
    }

    @Test
    void issue13_item10_aPgpassFileReadableByOthersIsRefused() throws Exception {
        file(".pgpass", "*:*:*:*:pw\n", "rw-r--r--");

        assertThatThrownBy(() -> password(source(Map.of("HOME", temp.toString()), null), "postgresql://u@h/db", Optional.empty()))
                .hasMessageContaining("chmod 600");
    }

    @Test
    void issue13_item10_withNothingElseTheTerminalIsAskedNamingTheDatabaseButNotAPassword() {
        assertThat(password(source(Map.of(), "typed"), "postgresql://u@h:5433/db", Optional.empty())).isEqualTo("typed");
        assertThat(questions).containsExactly("Password for postgresql://u@h:5433/db: ");
    }

    @Test
    void issue13_item10_aTemporaryPassFileForToolsIsPrivateAndEscapesThePassword() throws Exception {
        Path f = PassFile.writeTemporary("a:b\\c");
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            assertThat(PassFile.lookup(f, new ConnectionString.Host("any", 1), "d", "u")).contains("a:b\\c");
        } finally {
            Files.delete(f);
        }
    }
}
