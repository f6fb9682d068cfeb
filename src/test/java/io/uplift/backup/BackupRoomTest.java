package io.uplift.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRoomTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aBackupThatFitsWithTheMarginPassesAndTheFreeBytesAreReturned() {
        BackupRoom room = new BackupRoom(dir.resolve("not/yet/there"), folder -> 120 * MB);
        assertThat(room.require(100 * MB)).isEqualTo(120 * MB);
    }

    @Test
    void aBackupThatFitsOnlyWithoutTheMarginIsRefusedNamingWhatItNeedsAndTheWayOut() {
        BackupRoom room = new BackupRoom(dir, folder -> 119 * MB);
        assertThatThrownBy(() -> room.require(100 * MB)).isInstanceOfSatisfying(UpliftException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED);
            assertThat(e.getMessage()).contains("needs about 120 MB", "has 119 MB free", "Free 1 MB", "--backup-dir", "Nothing was written");
        });
    }

    @Test
    void anUnreadableFreeSpaceIsRefusedNamingTheLocationThatExists() {
        BackupRoom room = new BackupRoom(dir.resolve("a/b"), folder -> {
            throw new IOException("no file store for " + folder);
        });
        assertThatThrownBy(() -> room.require(1)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("Cannot read the free space at " + dir.toAbsolutePath())
                .hasMessageContaining("--backup-dir");
    }

    @Test
    void aFullDiskSaysHowFarTheFreeSpaceFellSinceTheRoomCheck() {
        Deque<Long> free = new ArrayDeque<>(List.of(500 * MB, 200 * MB));
        BackupRoom room = new BackupRoom(dir, folder -> free.pop());
        long before = room.require(100 * MB);
        UpliftException e = room.diskFull(new IOException("No space left on device"), 100 * MB, before);
        assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED);
        assertThat(e.getMessage()).contains("fell by 300 MB", "from the 500 MB", "estimated 120 MB", "--backup-dir");
    }

    @Test
    void megabytesAreRoundedUpWithoutOverflowing() {
        assertThat(BackupRoom.mb(0)).isZero();
        assertThat(BackupRoom.mb(1)).isEqualTo(1);
        assertThat(BackupRoom.mb(MB)).isEqualTo(1);
        assertThat(BackupRoom.mb(MB + 1)).isEqualTo(2);
        assertThat(BackupRoom.mb(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / MB + 1);
    }

    @Test
    void theFreeSpaceOfAMissingFolderIsThatOfItsNearestExistingAncestor() {
        assertThat(BackupRoom.existingAncestor(dir.resolve("x/y/z"))).isEqualTo(dir.toAbsolutePath());
    }
}
