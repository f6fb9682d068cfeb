package io.uplift.install;

import io.uplift.api.PendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a home: the state file is read once, and every way it can be wrong is named with its fix. */
class InstallationTest {
    @TempDir
    Path dir;

    private Path home() throws Exception {
        return Files.createDirectories(dir.resolve("home"));
    }

    private Path stateFile(String json) throws Exception {
        Path file = home().resolve(InstallationState.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    private static void invalid(Path home, String... parts) {
        var assertion = assertThatThrownBy(() -> Installation.open(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID));
        for (String part : parts) {
            assertion.hasMessageContaining(part);
        }
    }

    @Test
    void aRecordedStateOpensAgainWithEveryFieldAndTheFoldersOfTheHome() throws Exception {
        InstallationState state = new InstallationState("lockbox", "2.1", "/opt/catalog", "lockbox",
                Map.of("config/keyset.json", "ab12"), new ManagedDatabase(16, "/srv/pg", 5433, "postgres"),
                List.of(new PendingTask("2.0", "review-tokens", "Review the v1 tokens", "manual")));

        Installation.record(home(), state);
        Installation opened = Installation.open(dir.resolve("home/../home"));

        assertThat(opened.state()).isEqualTo(state);
        Path h = dir.resolve("home").toAbsolutePath().normalize();
        assertThat(opened.home()).isEqualTo(h);
        assertThat(opened.app()).isEqualTo(h.resolve("app"));
        assertThat(opened.config()).isEqualTo(h.resolve("config"));
        assertThat(opened.data()).isEqualTo(h.resolve("data"));
        assertThat(opened.lockFile()).isEqualTo(h.resolve(".uplift/lock"));
        assertThat(opened.journalFile()).isEqualTo(h.resolve(".uplift/journal.json"));
    }

    @Test
    void fieldsAFutureUpliftAddsAreIgnored() throws Exception {
        stateFile("{\"product\":\"lockbox\",\"version\":\"1.0\",\"nodeLocalFiles\":{},\"pendingTasks\":[],\"addedLater\":7}");

        assertThat(Installation.open(home()).state().version()).isEqualTo("1.0");
    }

    @Test
    void aHomeThatDoesNotExistIsNamedWithTheHomeOptionAndTheDemo() {
        Path missing = dir.resolve("nowhere");

        invalid(missing, missing + " does not exist", "--home", "uplift demo --prepare-only");
    }

    @Test
    void aFolderWithoutAStateFileIsNotAnInstallation() throws Exception {
        invalid(home(), "is not an Uplift installation", home().resolve(InstallationState.FILE) + " is missing");
    }

    @Test
    void aStateFileWithoutTheVersionOrTheProductIsRefusedNamingBoth() throws Exception {
        Path file = stateFile("{\"product\":\"lockbox\",\"nodeLocalFiles\":{},\"pendingTasks\":[]}");
        invalid(home(), file.toString(), "lacks the product or the installed version");

        stateFile("{\"version\":\"1.0\",\"nodeLocalFiles\":{},\"pendingTasks\":[]}");
        invalid(home(), "lacks the product or the installed version");
    }

    @Test
    void aVersionThatIsNotAVersionIsRefusedQuotingItAndPointingAtAppVersion() throws Exception {
        stateFile("{\"product\":\"lockbox\",\"version\":\"2.x\",\"nodeLocalFiles\":{},\"pendingTasks\":[]}");

        invalid(home(), "records the installed version '2.x', which is not a version", "app/VERSION", "Nothing was changed");
    }

    @Test
    void aStateFileThatIsNotJsonIsRefusedNamingTheFileAndTheBackup() throws Exception {
        Path file = stateFile("{\"product\": \"lockbox\", ");

        invalid(home(), "The state file " + file + " cannot be read", "Restore it from the backup of this node");
    }

    @Test
    void recordingWhereTheStateFileCannotBeWrittenIsRefusedNamingIt() throws Exception {
        Files.writeString(home().resolve(".uplift"), "a file, not a folder");

        assertThatThrownBy(() -> Installation.record(home(), new InstallationState("lockbox", "1.0", null, null, Map.of(), null, List.of())))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining("Cannot write " + home().resolve(InstallationState.FILE));
    }
}
