package io.uplift.api;

/**
 * Every kind of failure Uplift reports, each with its own process exit code. The codes are part of
 * the command-line contract (docs/commands.md, "Exit codes"): scripts branch on them, so a code never changes
 * meaning once released. Code 3 is not here: it is an outcome of {@code uplift check} (warnings),
 * a result, not an error; code 4 is check's "failures" and also an upgrade refused by them.
 */
public enum ErrorCode {
    /** The preflight checks failed, so the upgrade did not start; nothing was changed. */
    PREFLIGHT_FAILED(4),
    /** A bug or an unexpected condition inside Uplift. */
    INTERNAL(1),
    /** A flag or argument on the command line is wrong. */
    USAGE(2),
    /** The release catalog has a syntax error, a missing field or contradicting releases. */
    CATALOG_INVALID(10),
    /** No legal upgrade path: unknown version, downgrade, or no path through the required stops. */
    PLAN_IMPOSSIBLE(11),
    /** The home folder is not a usable installation, or its recorded state is inconsistent. */
    INSTALLATION_INVALID(12),
    /** The product database cannot be reached or refused the query. */
    DATABASE_UNREACHABLE(13),
    /** A PostgreSQL server Uplift runs cannot be installed, initialised, started or stopped. */
    DATABASE_SERVER(14),
    /** Another Uplift process holds the lock of this installation. */
    LOCKED(15),
    /** A change needs confirmation and there is no terminal to ask on and no --yes. */
    CONFIRMATION_REQUIRED(16),
    /** A backup could not be written or verified, or there is no room for it; nothing else was touched. */
    BACKUP_FAILED(17),
    /** A step of the upgrade failed; the journal holds the state, resume or rollback continues from it. */
    UPGRADE_FAILED(18),
    /** The release's program files do not match the checksum in the catalog. */
    RELEASE_CORRUPT(19),
    /** The PostgreSQL client tools (pg_dump, pg_restore, psql) are missing or older than the server. */
    PG_TOOLS(22),
    /** A database move failed; what it finished is recorded in the target, --resume goes on from there. */
    DATABASE_MOVE(23),
    /** A database move finished but its validation found differences between source and target. */
    VALIDATION_FAILED(24),
    /** A key cannot be retired (or a rotation is unfinished): stored values are still under it; nothing was changed. */
    KEY_IN_USE(25),
    /** 'nodes forget': the node sent a heartbeat too recently to be gone; nothing was changed. */
    NODE_ALIVE(26),
    /** 'uplift cluster cancel' came too late: the primary started its upgrade; undoing it is the primary's rollback. */
    CANCEL_TOO_LATE(27);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
