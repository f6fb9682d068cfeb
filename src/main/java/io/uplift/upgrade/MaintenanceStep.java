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
            String target = c.journal().get().target();
            String product = c.catalog().product().name();
            int ended = MaintenanceMode.enter(c.home(), c.database(), "upgrade " + c.journal().get().id() + " to " + target,
                    product + " is in maintenance for an upgrade to " + target + "; changes are refused until it ends");
            c.listener().message("the database refuses changes but Uplift's" + (ended == 0 ? "" : "; "
                    + ended + (ended == 1 ? " session" : " sessions") + " of the product ended (they reconnect read-only)"));
        } else {
            MaintenanceMode.leave(c.home(), c.database());
        }
    }
}
