package io.uplift.journal;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Refuses, when Uplift runs as root, a folder that another account could change: root writes the
 * lock, the journal and node-local files in the home and {@code .uplift/}, and an account that can
 * create entries there could plant a link that root then writes through (to /etc/shadow, say).
 *
 * <p>A folder is trusted when root owns it and no one else may write it. A root-owned folder with the
 * sticky bit (like /tmp) is trusted too: others may add entries but never rename or remove root's,
 * and Uplift opens its own files without following links. Run as another user, Uplift acts with
 * only that user's rights, so there is nothing to refuse.
 */
public final class TrustedFolder {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private TrustedFolder() {}

    /** Refuses {@code dir} as described above; a folder that does not exist yet is left to its creator. */
    public static void require(Path dir) {
        if (!OsUser.runningAsRoot()) {
            return;
        }
        require(dir, 0);
    }

    /** The check itself, for the account {@code trustedUid} (0 when running as root). */
    static void require(Path dir, int trustedUid) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.isSymbolicLink(abs) && abs.getFileName() != null && abs.getFileName().toString().equals(".uplift")) {
                // The home itself may be a link an administrator made; Uplift's own folder inside it never is.
                throw refused(abs, "it is a symbolic link (to " + Files.readSymbolicLink(abs) + ")",
                        "remove the link (rm " + abs + "); Uplift creates the folder itself");
            }
            Path real = abs.toRealPath();
            int uid = (Integer) Files.getAttribute(real, "unix:uid");
            int mode = (Integer) Files.getAttribute(real, "unix:mode");
            String owner = Files.getOwner(real).getName();
            if (uid != trustedUid && uid != 0) {
                throw refused(real, "it belongs to " + owner + " (uid " + uid + "), mode " + octal(mode),
                        "give it to root (chown root " + real + ") or run Uplift as " + owner);
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !((mode & STICKY) != 0 && uid == trustedUid)) {
                throw refused(real, "other accounts may write it (owner " + owner + ", mode " + octal(mode) + ")",
                        "remove their write access (chmod go-w " + real + ")");
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read the owner and mode of " + abs + ": "
                    + e.getMessage() + ". Check that the folder exists and is readable.", e);
        }
    }

    private static UpliftException refused(Path dir, String observed, String fix) {
        return new UpliftException(ErrorCode.INSTALLATION_INVALID, "Uplift runs as root and refuses the folder " + dir + ": "
                + observed + ", so another account could plant links in it that root would write through. Nothing was changed. "
                + "To go on, " + fix + ".");
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
