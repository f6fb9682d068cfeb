package io.uplift.upgrade;

import io.uplift.api.StepKind;

/** The implementation of each kind of step. */
final class Steps {
    private Steps() {}

    static UpgradeStep of(StepKind kind) {
        return switch (kind) {
            case CHECKS -> new ChecksStep();
            case BACKUP -> new BackupStep();
            case MAINTENANCE_ON -> new MaintenanceStep(true);
            case MAINTENANCE_OFF -> new MaintenanceStep(false);
            case STOP_SERVICES -> new ServicesStep(false);
            case START_SERVICES -> new ServicesStep(true);
            case STAGE_PROGRAM_FILES -> new StageProgramFilesStep();
            case CARRY_NODE_LOCAL_FILES -> new NodeLocalFilesStep();
            case MIGRATE_SCHEMA -> new MigrateSchemaStep();
            case SWAP_PROGRAM_FILES -> new SwapProgramFilesStep();
            case RECORD_VERSION -> new RecordVersionStep();
            case RECORD_NODE_VERSION -> new RecordNodeVersionStep();
            case REGISTER_TASKS -> new RegisterTasksStep();
            case MOVE_DATABASE -> new MoveDatabaseStep();
            case ROTATE_KEYS -> new RotateKeysStep();
            case EXPAND_SCHEMA -> new ExpandSchemaStep();
            case RECORD_ROLLING_VERSION -> new RecordRollingVersionStep();
        };
    }
}
