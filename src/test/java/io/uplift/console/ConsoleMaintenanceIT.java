package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.MaintenanceState;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Maintenance mode on and off from the console, over real HTTP on a demo installation, checked through the facade. */
class ConsoleMaintenanceIT {
    private static ConsoleFixture console;
    private static ConsoleClient admin;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleFixture.demo(200);
        admin = console.signedIn();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    private static MaintenanceState state() {
        return Uplift.configure().home(console.home()).load().maintenance();
    }

    @Test
    void maintenanceModeIsTurnedOnWithItsReasonAndOffAgain() {
        String off = admin.get("/maintenance").body();
        assertThat(off).contains("id=\"maintenance-state\"><span class=\"badge ok\">off</span>")
                .contains("Users can read but not change anything").contains("Turn maintenance mode on</button>");

        String on = admin.post("/maintenance/on", Map.of("reason", "moving the disks  to the new array")).body();

        assertThat(on).contains("class=\"notice ok\"").contains("Maintenance mode is on")
                .contains("id=\"maintenance-state\"><span class=\"badge warn\">on</span>")
                .contains("id=\"maintenance-reason\">moving the disks to the new array</dd>").contains("Turn maintenance mode off</button>");
        MaintenanceState now = state();
        assertThat(now.on()).isTrue();
        assertThat(now.reason()).isEqualTo("moving the disks to the new array");
        assertThat(on).contains("id=\"maintenance-since\">" + now.since() + "</dd>");

        String offAgain = admin.post("/maintenance/off", Map.of()).body();

        assertThat(offAgain).contains("Maintenance mode is off").contains("<span class=\"badge ok\">off</span>");
        assertThat(state().on()).isFalse();
    }

    @Test
    void aReasonLongerThanOneLineIsRefusedAndNothingChanges() {
        // The page takes at most 200 characters (MaintenancePage.MAX_REASON): one line shown to whoever asks.
        String page = admin.post("/maintenance/on", Map.of("reason", "x".repeat(201))).body();

        assertThat(page).contains("class=\"notice fail\"").contains("Reason: 201 characters, at most 200")
                .contains("nothing was changed");
        assertThat(state().on()).isFalse();
    }
}
