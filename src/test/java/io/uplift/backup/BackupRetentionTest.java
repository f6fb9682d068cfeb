package io.uplift.backup;

import io.uplift.api.BackupManifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.BackupManifest.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRetentionTest {
    @TempDir
    Path root;

    private static BackupManifest manifest(String id, String home, String created) {
        return new BackupManifest(BackupManifest.FORMAT, id, home, created, "lockbox", "1.0", null, 10, "10.23", "lockbox", "15.18",
                new Entry(BackupManifest.DUMP_FILE, "file", 0, "x", "rw-------", null, null, null), List.of());
    }

    @Test
    void theNewestNOfTheInstallationStayAndAProtectedOlderOneIsNeverDeleted() {
        List<BackupManifest> newestFirst = List.of(
                manifest("e", "/h", "2026-01-05T00:00:00Z"), manifest("other", "/elsewhere", "2026-01-04T12:00:00Z"),
                manifest("d", "/h", "2026-01-04T00:00:00Z"), manifest("c", "/h", "2026-01-03T00:00:00Z"),
                manifest("b", "/h", "2026-01-02T00:00:00Z"), manifest("a", "/h", "2026-01-01T00:00:00Z"));
        assertThat(Retention.toDelete(newestFirst, "/h", 3, Set.of())).containsExactly("b", "a");
        assertThat(Retention.toDelete(newestFirst, "/h", 3, Set.of("a"))).containsExactly("b");
        assertThat(Retention.toDelete(newestFirst, "/h", 1, Set.of("c"))).containsExactly("d", "b", "a");
        assertThat(Retention.toDelete(newestFirst, "/elsewhere", 1, Set.of())).isEmpty();
    }

    @Test
    void listIgnoresUnfinishedAndUnreadableFoldersAndSortsNewestFirst() throws Exception {
        BackupStore store = new BackupStore(root);
        for (String[] b : new String[][] {{"20260101T000000Z-lockbox-1.0", "2026-01-01T00:00:00Z"},
                {"20260101T000000Z-lockbox-1.0-2", "2026-01-01T00:00:00Z"}, {"20260101T000000Z-lockbox-1.0-10", "2026-01-01T00:00:00Z"},
                {"20260102T000000Z-lockbox-1.1", "2026-01-02T00:00:00Z"}}) {
            Files.createDirectories(root.resolve(b[0]));
            store.writeManifest(root.resolve(b[0]), manifest(b[0], "/h", b[1]));
        }
        Path partial = root.resolve("20260103T000000Z-lockbox-1.1.partial");
        Files.createDirectories(partial);
        store.writeManifest(partial, manifest("20260103T000000Z-lockbox-1.1", "/h", "2026-01-03T00:00:00Z"));
        Files.createDirectories(root.resolve("20260104T000000Z-broken"));
        Files.writeString(root.resolve("20260104T000000Z-broken/manifest.json"), "{not json");

        assertThat(store.list()).extracting(BackupManifest::id).containsExactly("20260102T000000Z-lockbox-1.1",
                "20260101T000000Z-lockbox-1.0-10", "20260101T000000Z-lockbox-1.0-2", "20260101T000000Z-lockbox-1.0");
    }

    @Test
    void anAbandonedPartialIsRemovedButOneOfALiveProcessStays() throws Exception {
        BackupStore store = new BackupStore(root);
        Path abandoned = root.resolve("a.partial");
        Files.createDirectories(abandoned.resolve("app"));
        Files.writeString(abandoned.resolve(BackupStore.IN_PROGRESS), "999999999");
        Path noClaim = root.resolve("b.partial");
        Files.createDirectories(noClaim);
        Path live = root.resolve("c.partial");
        Files.createDirectories(live);
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Files.writeString(live.resolve(BackupStore.IN_PROGRESS), Long.toString(parent));

        assertThat(store.removeAbandoned()).containsExactlyInAnyOrder(abandoned, noClaim);
        assertThat(abandoned).doesNotExist();
        assertThat(noClaim).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void newIdsAreUniqueInTheFolder() throws Exception {
        BackupStore store = new BackupStore(root);
        java.time.Instant t = java.time.Instant.parse("2026-11-23T05:15:00Z");
        String first = store.newId(t, "Lockbox", "1.0");
        assertThat(first).isEqualTo("20261123T051500Z-lockbox-1.0");
        Files.createDirectories(root.resolve(first + BackupStore.PARTIAL));
        assertThat(store.newId(t, "Lockbox", "1.0")).isEqualTo("20261123T051500Z-lockbox-1.0-2");
    }
}
