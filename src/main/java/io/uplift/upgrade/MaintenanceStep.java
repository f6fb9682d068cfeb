package io.uplift.upgrade;

/** Enters (or leaves) maintenance mode; undo does the opposite. */
final class MaintenanceStep implements UpgradeStep {
    private final boolean enter;

    MaintenanceStep(boolean enter) {
        this.enter = enter;
    }

    @Override
    public void apply(StepContext c) throws Exception {
        set(c, enter);
    }

    @Override
    public void undo(StepContext c) throws Exception {
        set(c, !enter);
    }

    private static void set(StepContext c, boolean on) throws Exception {
        if (on) {
            MaintenanceMode.enter(c.home(), c.database(), "upgrade " + c.journal().get().id() + " to " + c.journal().get().target());
        } else {
            MaintenanceMode.leave(c.home(), c.database());
        }
    }
}
