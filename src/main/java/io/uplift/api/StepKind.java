package io.uplift.api;

/**
 * The kinds of step a hop is made of, in the order a hop runs them. Maintenance mode is entered
 * before the backup (its snapshot then holds every write the database ever accepted) and left last,
 * in the upgrade's last hop: no write can land after the backup and be lost to a rollback.
 * The services stop as late as they can: staging, carrying and the database move (the long part)
 * need nothing from them, so users keep reading, from the old server and then from the moved
 * one, until the steps that change what the program sees (migrations, keys, program files).
 */
public enum StepKind {
    CHECKS("Run the preflight checks"),
    MAINTENANCE_ON("Enter maintenance mode: users keep read access, changes are refused until the upgrade ends"),
    BACKUP("Back up the database, program files, config/ and data/, and verify the backup"),
    STAGE_PROGRAM_FILES("Stage the new program files next to the old ones"),
    CARRY_NODE_LOCAL_FILES("Carry the node-local files over untouched"),
    MOVE_DATABASE("Move the database to a newer PostgreSQL server"),
    STOP_SERVICES("Stop the product's services"),
    MIGRATE_SCHEMA("Apply the schema migrations"),
    ROTATE_KEYS("Rotate the encryption key and re-encrypt the encrypted columns"),
    SWAP_PROGRAM_FILES("Swap the program folders"),
    RECORD_VERSION("Record the new version in the home and in the database"),
    /** Only in a cluster node's own plan (the primary recorded the version in the database already). */
    RECORD_NODE_VERSION("Record the new version in this node's home"),
    START_SERVICES("Start the product's services"),
    REGISTER_TASKS("Register the post-upgrade tasks"),
    MAINTENANCE_OFF("Leave maintenance mode"),
    /** Only in a rolling upgrade's primary plan, see Plan#forRollingPrimary. */
    EXPAND_SCHEMA("Apply the expand migrations while the other nodes keep serving the previous release"),
    /** Only in a rolling upgrade's primary plan: the previous release stays admitted until finalize. */
    RECORD_ROLLING_VERSION("Record the new version, still admitting the previous release until finalize");

    private final String title;

    StepKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** What the step's progress reports count: key rotation counts rows, the backup and the move bytes. */
    public String progressUnit() {
        return this == ROTATE_KEYS ? "rows" : "bytes";
    }
}
