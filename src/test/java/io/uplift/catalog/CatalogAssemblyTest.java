package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogAssemblyTest {
    private static final Path SOURCE = Path.of(System.getProperty("uplift.distribution", "."), "examples", "lockbox", "catalog");

    @Test
    void everyReleaseGetsTheJarsAndAProgramFilesChecksumThatMatchesItsFilesAgain(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("lockbox.jar"), new byte[] {1, 2, 3});
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.write(lib.resolve("dep-1.0.jar"), new byte[] {4});
        Files.write(lib.resolve("notes.txt"), new byte[] {5});
        Path out = dir.resolve("built");

        List<String> versions = CatalogAssembly.assemble(SOURCE, out, List.of(jar, lib.resolve("dep-1.0.jar")));

        assertThat(versions).containsExactly("1.0", "1.1", "2.0", "2.1", "2.2", "3.0");
        Catalog catalog = CatalogLoader.load(out);
        for (Release r : catalog.releases().values()) {
            assertThat(r.programFiles().resolve("lib/lockbox.jar")).exists();
            assertThat(r.programFiles().resolve("lib/dep-1.0.jar")).exists();
            assertThat(r.programFiles().resolve("bin/lockbox")).isExecutable();
            assertThat(r.programFilesSha256()).isEqualTo(TreeHash.of(r.programFiles()))
                    .isNotEqualTo(TreeHash.of(SOURCE.resolve("releases").resolve(r.version().toString()).resolve("app")));
        }
        assertThat(Files.readString(out.resolve("releases/1.0/release.yaml"))).contains("# the first release");
    }

    @Test
    void assemblingAgainReplacesTheEarlierOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("built");
        Files.createDirectories(out.resolve("releases/9.9"));
        Files.writeString(out.resolve("stale.txt"), "from an earlier build");

        CatalogAssembly.assemble(SOURCE, out, List.of());

        assertThat(out.resolve("stale.txt")).doesNotExist();
        assertThat(out.resolve("releases/9.9")).doesNotExist();
    }
}
