package io.lockbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeHomeTest {
    @Test
    void aMissingServiceFileIsRefusedNamingTheFileAndTheKey(@TempDir Path home) {
        assertThatThrownBy(() -> new NodeHome(home).service()).isInstanceOfSatisfying(LockboxException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(LockboxException.CONFIGURATION);
            assertThat(e.getMessage()).contains(home.resolve("config/lockbox.properties").toString()).contains("http.port=");
        });
    }

    @Test
    void aPortOutOfRangeOrAMissingKeyIsRefused(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/lockbox.properties"), "http.port=70000\n");
        assertThatThrownBy(() -> new NodeHome(home).service()).hasMessageContaining("'70000'");
        Files.writeString(home.resolve("config/lockbox.properties"), "node.role=worker\n");
        assertThatThrownBy(() -> new NodeHome(home).service()).hasMessageContaining("lacks the key 'http.port'");
        Files.writeString(home.resolve("config/lockbox.properties"), "http.port= 8181\nnode.role=worker\n");
        assertThat(new NodeHome(home).service()).isEqualTo(new NodeHome.ServiceConfig(8181, "worker"));
    }

    @Test
    void theVersionComesFromAppVersion(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("app"));
        Files.writeString(home.resolve("app/VERSION"), "2.1\n");
        assertThat(new NodeHome(home).version()).isEqualTo("2.1");
        Files.writeString(home.resolve("app/VERSION"), "latest\n");
        assertThatThrownBy(() -> new NodeHome(home).version()).hasMessageContaining("not a version");
    }

    @Test
    void primaryUrlNamesThePrimaryOfAMirrorAndIsAbsentOtherwise(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/database.properties"), "url=jdbc:postgresql://mirror/lockbox\nuser=lockbox\npassword=hunter2\n");
        assertThat(new NodeHome(home).database().primaryUrl()).isNull();
        Files.writeString(home.resolve("config/database.properties"),
                "url=jdbc:postgresql://mirror/lockbox\nprimary.url= jdbc:postgresql://primary/lockbox \nuser=lockbox\npassword=hunter2\n");
        NodeHome.DatabaseConfig config = new NodeHome(home).database();
        assertThat(config.primaryUrl()).isEqualTo("jdbc:postgresql://primary/lockbox");
        assertThat(config.toString()).contains("primary.url=jdbc:postgresql://primary/lockbox").doesNotContain("hunter2");
    }
}
