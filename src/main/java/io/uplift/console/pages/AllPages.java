package io.uplift.console.pages;

import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Pages;
import java.util.List;

/** Every page of the console, in the order of the navigation. */
public final class AllPages {
    private AllPages() {}

    public static void register(ConsoleRoutes routes) {
        List<Pages> all = List.of(new StatusPage(), new PlanPage(), new UpgradePage(), new JournalPage(), new BackupsPage(), new TokensPage(),
                new TasksPage(), new KeysPage(), new NodesPage(), new DisasterRecoveryPage(), new DbMovePage(), new DbImportPage(), new MaintenancePage(),
                new SupportPage());
        all.forEach(p -> p.register(routes));
    }
}
