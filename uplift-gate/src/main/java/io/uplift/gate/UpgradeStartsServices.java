package io.uplift.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one start a home with an upgrade journal allows: the upgrade's own, when its start-services
 * step (or a rollback starting the old version again) runs the product's start command. Uplift
 * writes HOME/.uplift/services-starting, holding the version whose program files are in app/,
 * just before that command and removes it after; a node started by hand at any other moment of the
 * upgrade finds no such file and is refused. The file must be a regular file (not a link) and name
 * exactly the version this program is.
 */
final class UpgradeStartsServices {
    static final String FILE = "services-starting";
    private static final int MAX_BYTES = 64;

    private UpgradeStartsServices() {}

    static boolean startsVersion(GateSettings settings) {
        Path marker = settings.home().resolve(".uplift").resolve(FILE);
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) || Files.size(marker) > MAX_BYTES) {
                return false;
            }
            return new String(Files.readAllBytes(marker), StandardCharsets.UTF_8).strip().equals(settings.programVersion());
        } catch (IOException e) {
            return false; // unreadable: treat as absent, the journal's refusal stands
        }
    }
}
