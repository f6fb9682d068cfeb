package io.uplift.console.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The forms' file and folder fields: blank is "not given", an absolute path is taken as written, a
 * relative one is refused naming the field (it would be resolved in the console's working folder).
 */
class FormPathsTest {
    @Test
    void blankIsNotGivenAndAnAbsolutePathIsTakenTrimmed() {
        assertThat(FormPaths.optional("Target password file", null)).isEmpty();
        assertThat(FormPaths.optional("Target password file", "  ")).isEmpty();
        assertThat(FormPaths.optional("Target password file", " /etc/uplift/pw ")).contains(Path.of("/etc/uplift/pw"));
        assertThat(FormPaths.required("Export folder", "/srv/export")).isEqualTo(Path.of("/srv/export"));
    }

    @Test
    void aRelativePathOrAMissingRequiredOneIsRefusedNamingTheField() {
        assertThatThrownBy(() -> FormPaths.optional("Password file", "pw.txt")).isInstanceOf(UpliftException.class)
                .hasMessage("Password file: 'pw.txt' is not an absolute path: give the full path on the console's machine."
                        + " Nothing was started.")
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> FormPaths.required("Export folder", "export")).hasMessageStartingWith("Export folder: 'export' is not an absolute");
        assertThatThrownBy(() -> FormPaths.required("Export folder", "")).hasMessageStartingWith("Export folder: give the full path");
    }

    @Test
    void theMoveFormNamesARelativeToolsFolderOnce() {
        DbMoveForm form = new DbMoveForm("postgresql://lockbox@127.0.0.1:1/lockbox", "", "new", "", "", "16", "/x", "reliable", "", "",
                false, "", false, "", false, false, true, false, false, "", false, "bin");
        assertThatThrownBy(() -> form.request(2)).hasMessage("PostgreSQL tools folder: 'bin' is not an absolute path: give the full path"
                + " on the console's machine. Nothing was started.");
    }
}
