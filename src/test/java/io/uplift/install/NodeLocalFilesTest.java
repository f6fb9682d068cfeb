package io.uplift.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.install.NodeLocalFiles.FileState;
import io.uplift.install.NodeLocalFiles.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLocalFilesTest {
    @TempDir
    Path home;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/database.properties"), "url=x\n");
        Files.writeString(home.resolve("config/keyset.json"), "{}\n");
    }

    @Test
    void theHashIsTheSha256OfTheContent() throws Exception {
        Files.writeString(home.resolve("abc"), "abc");

        // The FIPS 180-2 test vector for "abc".
        assertThat(NodeLocalFiles.sha256(home.resolve("abc")))
                .contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aMissingFileOrAFolderHasNoHash() {
        assertThat(NodeLocalFiles.sha256(home.resolve("config/none"))).isEmpty();
        assertThat(NodeLocalFiles.sha256(home.resolve("config"))).isEmpty();
    }

    @Test
    void aFingerprintHoldsTheFilesThatExistAndLeavesOutTheMissingOnes() {
        Map<String, String> prints = NodeLocalFiles.fingerprint(home, List.of("config/keyset.json", "config/none", "config/database.properties"));

        assertThat(prints).containsOnlyKeys("config/database.properties", "config/keyset.json");
        assertThat(prints.get("config/keyset.json")).isEqualTo(NodeLocalFiles.sha256(home.resolve("config/keyset.json")).orElseThrow());
        assertThat(prints.keySet()).as("sorted, so the state file is stable").containsExactly("config/database.properties", "config/keyset.json");
    }

    @Test
    void eachFileIsUnchangedChangedMissingOrNotRecordedAgainstWhatWasRecorded() throws Exception {
        Map<String, String> recorded = NodeLocalFiles.fingerprint(home, List.of("config/database.properties", "config/keyset.json"));
        Files.writeString(home.resolve("config/keyset.json"), "{\"rotated\":true}\n");
        Files.writeString(home.resolve("config/license.txt"), "new file\n");

        List<FileState> states = NodeLocalFiles.compare(home,
                List.of("config/database.properties", "config/keyset.json", "config/license.txt", "config/tls.pem"), recorded);

        assertThat(states).containsExactly(
                new FileState("config/database.properties", State.UNCHANGED),
                new FileState("config/keyset.json", State.CHANGED),
                new FileState("config/license.txt", State.NOT_RECORDED),
                new FileState("config/tls.pem", State.MISSING));
    }

    @Test
    void aRecordedFileNoLongerDeclaredIsStillComparedAfterTheDeclaredOnes() throws Exception {
        Map<String, String> recorded = NodeLocalFiles.fingerprint(home, List.of("config/keyset.json", "config/database.properties"));
        Files.delete(home.resolve("config/database.properties"));

        assertThat(NodeLocalFiles.compare(home, List.of("config/keyset.json"), recorded)).containsExactly(
                new FileState("config/keyset.json", State.UNCHANGED),
                new FileState("config/database.properties", State.MISSING));
    }
}
