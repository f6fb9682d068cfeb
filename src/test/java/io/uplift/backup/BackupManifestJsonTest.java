package io.uplift.backup;

import io.uplift.api.BackupManifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.BackupManifest.Entry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest as written to and read from manifest.json. */
class BackupManifestJsonTest {
    @Test
    void issue13_item7_aLinksRecordedTargetSurvivesTheManifestRoundTrip() throws Exception {
        Entry link = new Entry("data/current", "link", 0, null, null, "root", "root", "../config/keyset.json");
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, "id", "/home", "2026-01-01T00:00:00Z", "lockbox", "1.0", null, 16,
                "16.4", "lockbox", null, null, List.of(link), "fp", "fp", BackupManifest.DATA_FOLDER, "/home/db/pg16", "postgres",
                List.of(new Entry("database", "dir", 0, null, "rwx------", "postgres", "postgres", null)), Map.of("public.users", 3L));

        BackupManifest read = BackupStore.JSON.readValue(BackupStore.JSON.writeValueAsBytes(m), BackupManifest.class);

        assertThat(read).isEqualTo(m);
        assertThat(read.files().get(0).link()).isEqualTo("../config/keyset.json");
        assertThat(read.isDataFolderCopy()).isTrue();
        assertThat(BackupStore.JSON.writeValueAsString(m)).doesNotContain("\"link\" : true").doesNotContain("dataFolderCopy");
    }

    @Test
    void issue13_item6_aManifestWrittenBeforeDataFolderCopiesReadsAsADump() throws Exception {
        String old = "{\"format\":1,\"id\":\"x\",\"home\":\"/h\",\"created\":\"2026-01-01T00:00:00Z\",\"product\":\"lockbox\",\"version\":\"1.0\","
                + "\"databaseServerMajor\":10,\"databaseServerVersion\":\"10.23\",\"databaseName\":\"lockbox\",\"pgDumpVersion\":\"15.1\","
                + "\"dump\":{\"path\":\"database.dump\",\"type\":\"file\",\"size\":5,\"sha256\":\"ab\",\"mode\":\"rw-------\"},\"files\":[],"
                + "\"keysetFingerprint\":\"k\",\"databaseKeysetFingerprint\":\"k\"}";

        BackupManifest m = BackupStore.JSON.readValue(old, BackupManifest.class);

        assertThat(m.isDataFolderCopy()).isFalse();
        assertThat(m.keysetFingerprint()).isEqualTo("k");
        assertThat(m.databaseBytes()).isEqualTo(5);
    }
}
