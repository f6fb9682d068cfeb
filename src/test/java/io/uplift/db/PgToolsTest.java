package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgToolsTest {
    @TempDir
    Path dir;

    @Test
    void aFolderWithoutPgDumpIsRefusedNamingTheFolder() {
        assertThatThrownBy(() -> PgTools.locate(Optional.of(dir)))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PG_TOOLS))
                .hasMessageContaining(dir.toString()).hasMessageContaining("pg_dump").hasMessageContaining("--pg-tools-dir");
    }

    @Test
    void aMissingFolderIsRefusedNamingIt() {
        Path missing = dir.resolve("nope/bin");
        assertThatThrownBy(() -> PgTools.locate(Optional.of(missing)))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PG_TOOLS))
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void noClientToolsUnderTheDebianFolderIsRefusedWithTheInstallCommand() {
        assertThatThrownBy(() -> PgTools.locate(Optional.empty(), dir))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PG_TOOLS))
                .hasMessageContaining(dir.toString()).hasMessageContaining("apt-get install postgresql-client");
    }

    @Test
    void theNewestDebianToolsAreTheDefault() throws Exception {
        fakeTools(dir.resolve("13/bin"), "13.9");
        fakeTools(dir.resolve("17/bin"), "17.2");
        fakeTools(dir.resolve("9/bin"), "9.6.24");
        PgTools tools = PgTools.locate(Optional.empty(), dir);
        assertThat(tools.folder()).isEqualTo(dir.resolve("17/bin"));
        assertThat(tools.version()).isEqualTo("17.2");
        assertThat(tools.major()).isEqualTo(17);
        tools.requireCanDump(16);
        tools.requireCanDump(17);
    }

    @Test
    void toolsOlderThanTheServerAreRefusedNamingBothVersionsAndTheFix() {
        Path real = Path.of("/usr/lib/postgresql/15/bin");
        assumeTrue(Files.isExecutable(real.resolve("pg_dump")), "needs the PostgreSQL 15 client tools in " + real);
        PgTools tools = PgTools.locate(Optional.of(real));
        assertThat(tools.major()).isEqualTo(15);
        tools.requireCanDump(10);
        assertThatThrownBy(() -> tools.requireCanDump(16))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PG_TOOLS))
                .hasMessageContaining("PostgreSQL 16").hasMessageContaining("version " + tools.version())
                .hasMessageContaining("postgresql-client-16").hasMessageContaining("--pg-tools-dir");
    }

    static void fakeTools(Path bin, String version) throws Exception {
        Files.createDirectories(bin);
        for (String tool : new String[] {"pg_dump", "pg_restore", "psql"}) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho '" + tool + " (PostgreSQL) " + version + " (Debian)'\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
