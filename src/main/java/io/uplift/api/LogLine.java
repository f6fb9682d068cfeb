package io.uplift.api;

/**
 * One line of the upgrade log (.uplift/upgrade.log).
 *
 * @param next the cursor just after this line: ask {@link io.uplift.Uplift#upgradeLog} from it to get the
 *             lines after this one, so a reader that reconnects loses and repeats none
 */
public record LogLine(long next, String at, String text) {}
