package io.uplift.api;

import java.util.List;

/** All preflight checks for an upgrade to {@code target}; its exit code is the command's. */
public record CheckReport(String installed, String target, List<CheckResult> results) {
    public static final int EXIT_PASS = 0;
    public static final int EXIT_WARNINGS = 3;
    public static final int EXIT_FAILURES = 4;

    public CheckReport {
        results = List.copyOf(results);
    }

    public long count(CheckStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public CheckStatus overall() {
        return count(CheckStatus.FAIL) > 0 ? CheckStatus.FAIL : count(CheckStatus.WARN) > 0 ? CheckStatus.WARN : CheckStatus.PASS;
    }

    public int exitCode() {
        return switch (overall()) {
            case FAIL -> EXIT_FAILURES;
            case WARN -> EXIT_WARNINGS;
            case PASS -> EXIT_PASS;
        };
    }
}
