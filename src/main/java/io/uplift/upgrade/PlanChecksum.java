package io.uplift.upgrade;

import io.uplift.catalog.Release;
import io.uplift.db.Sha256;
import io.uplift.install.NodeLocalFiles;
import io.uplift.catalog.TreeHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * A fingerprint of what an upgrade was started with: its step ids and, for each release it
 * installs, release.yaml, the migration scripts and the program files. Resuming with an edited
 * catalog would run steps the journal never promised.
 */
final class PlanChecksum {
    private PlanChecksum() {}

    static String of(List<String> stepIds, List<Release> releases) {
        MessageDigest md = Sha256.newDigest();
        stepIds.forEach(id -> md.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
        for (Release r : releases) {
            md.update(("release " + r.version() + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(NodeLocalFiles.sha256(r.folder().resolve("release.yaml")).orElse("-").getBytes(StandardCharsets.UTF_8));
            if (r.migrations() != null) {
                md.update(TreeHash.of(r.migrations()).getBytes(StandardCharsets.UTF_8));
            }
            md.update(TreeHash.of(r.programFiles()).getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.finish(md);
    }
}
