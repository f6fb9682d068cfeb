package io.uplift.backup;

import io.uplift.api.BackupManifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupKeysetMatchTest {
    private static final String FP = "0123456789abcdef".repeat(4);

    @TempDir
    Path home;

    private static BackupManifest recording(String fileFp, String databaseFp) {
        return new BackupManifest(BackupManifest.FORMAT, "b1", "/h", "2026-01-01T00:00:00Z", "lockbox", "1.0", null, 16, "16.4", "lockbox",
                "16.4", new Entry(BackupManifest.DUMP_FILE, "file", 0, "x", "rw-------", null, null, null), List.of(), fileFp, databaseFp);
    }

    @Test
    void aBackupThatRecordsNoKeysetRestoresUnderAnyKeyset() {
        assertThatCode(() -> BackupKeysetMatch.require("b1", recording(null, null), Path.of("/backups/b1"), home)).doesNotThrowAnyException();
    }

    @Test
    void aHomeWithoutTheRecordedKeysetIsRefusedNamingTheBackupsKeysetAndTheOverride() {
        assertThatThrownBy(() -> BackupKeysetMatch.require("b1", recording("ffff", FP), Path.of("/backups/b1"), home))
                .isInstanceOfSatisfying(UpliftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);
                    // The database's own record wins over the backed-up file's fingerprint.
                    assertThat(e.getMessage()).contains("backup b1 goes with the keyset 0123456789ab,", "is none (missing",
                            "/backups/b1/", "--accept-keyset-mismatch").doesNotContain("ffff");
                });
    }

    @Test
    void onlyLongHexFingerprintsAreShortened() {
        assertThat(BackupKeysetMatch.shortFp(FP)).isEqualTo("0123456789ab");
        assertThat(BackupKeysetMatch.shortFp("none (missing or not a sealed keyset)")).isEqualTo("none (missing or not a sealed keyset)");
        assertThat(BackupKeysetMatch.shortFp("abc")).isEqualTo("abc");
    }
}
