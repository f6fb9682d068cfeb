package io.uplift.keys.tokens;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether one node's remote component needs a new app token at a target version: the pure decision,
 * from the catalog ({@code tokens.component-files}, the formats deprecated and current at the target)
 * and the format of the token the node holds now.
 */
public final class ComponentTokenNeed {
    /** What to do on the node. */
    public enum Kind {
        /** The role holds no token of its own (a web node), or its token is current: nothing to do. */
        NONE,
        /** The node's token is in a deprecated format: give it one in the current format, then revoke the old. */
        REISSUE,
        /** The role should hold a token but something is wrong on the node; {@code reason} says what and the fix. */
        CANNOT
    }

    /**
     * @param file the node-relative file of the role's token, "" when the role has none
     */
    public record Decision(Kind kind, String file, String fromFormat, String toFormat, String reason) {
        static Decision none(String reason) {
            return new Decision(Kind.NONE, "", "", "", reason);
        }
    }

    private ComponentTokenNeed() {}

    /**
     * @param role             the node's role as its gate registered it
     * @param componentFiles   the catalog's role to token file map
     * @param heldFormat       the format of the token in the node's file, empty when the file holds none
     *                         the database knows (missing, empty or revoked)
     * @param deprecatedAtTarget formats deprecated once the target is installed
     * @param currentAtTarget  the format new tokens get at the target
     */
    public static Decision decide(String role, Map<String, String> componentFiles, Optional<String> heldFormat,
            Set<String> deprecatedAtTarget, Optional<String> currentAtTarget) {
        String file = componentFiles.get(role);
        if (file == null) {
            return Decision.none("a " + role + " node holds no app token of its own");
        }
        if (heldFormat.isEmpty()) {
            return new Decision(Kind.CANNOT, file, "", currentAtTarget.orElse(""), "the " + role + " component's token file " + file
                    + " holds no token the database knows (missing, empty or revoked)");
        }
        String held = heldFormat.get();
        if (!deprecatedAtTarget.contains(held)) {
            return new Decision(Kind.NONE, file, held, held, "its token is of format " + held + ", current at the target");
        }
        if (currentAtTarget.isEmpty() || currentAtTarget.get().equals(held)) {
            return new Decision(Kind.CANNOT, file, held, "", "its token format " + held + " is deprecated and the catalog names no"
                    + " current format to issue instead");
        }
        return new Decision(Kind.REISSUE, file, held, currentAtTarget.get(), "its token format " + held + " is deprecated at the target");
    }
}
