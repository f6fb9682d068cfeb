package io.uplift.api;

/**
 * One preflight check's outcome: what was observed and, unless it passed, what to do.
 *
 * @param id stable identifier for scripts, e.g. "database-version"
 */
public record CheckResult(String id, String title, CheckStatus status, String observed, String remedy) {
    public static CheckResult pass(String id, String title, String observed) {
        return new CheckResult(id, title, CheckStatus.PASS, observed, "");
    }

    public static CheckResult warn(String id, String title, String observed, String remedy) {
        return new CheckResult(id, title, CheckStatus.WARN, observed, remedy);
    }

    public static CheckResult fail(String id, String title, String observed, String remedy) {
        return new CheckResult(id, title, CheckStatus.FAIL, observed, remedy);
    }
}
