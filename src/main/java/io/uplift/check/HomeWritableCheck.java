package io.uplift.check;

import io.uplift.api.CheckResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class HomeWritableCheck implements PreflightCheck {
    private static final String ID = "home-writable";
    private static final String TITLE = "Write access to the home";

    @Override
    public CheckResult run(CheckContext c) {
        // config/ is absent on purpose: node-local files are never written by an upgrade.
        List<Path> folders = List.of(c.installation().home(), c.installation().app(), c.installation().data(), c.installation().upliftDir());
        List<String> denied = folders.stream().filter(p -> Files.exists(p) && !Files.isWritable(p)).map(Path::toString).toList();
        if (!denied.isEmpty()) {
            return CheckResult.fail(ID, TITLE, c.currentUser() + " cannot write " + String.join(", ", denied),
                    "run Uplift as the account that owns the installation, or grant it write access");
        }
        return CheckResult.pass(ID, TITLE, c.currentUser() + " can write " + c.installation().home());
    }
}
