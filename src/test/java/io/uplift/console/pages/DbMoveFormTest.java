package io.uplift.console.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.MoveRequest;
import io.uplift.api.UpliftException;
import org.junit.jupiter.api.Test;

/**
 * The database move form's own rules, before any server is reached: a refusal names the field, the
 * thread presets are this machine's, and a connection string that may hold a password never comes back.
 */
class DbMoveFormTest {
    private static final String SOURCE = "postgresql://lockbox@127.0.0.1:1/lockbox";

    private static DbMoveForm form(String threads, String threadsN, String targetDir, boolean validate, boolean understood) {
        return new DbMoveForm(SOURCE, "", "new", "", "", "16", targetDir, threads, threadsN, "", false, "", false, "", false, false, validate,
                understood, false, "", false, "");
    }

    @Test
    void theThreadPresetsAreThoseOfTheCommandLineForThisMachine() {
        assertThat(form("reliable", "", "/x", true, false).threadCount(8)).isEqualTo(1);
        assertThat(form("recommended", "", "/x", true, false).threadCount(8)).isEqualTo(4);
        assertThat(form("performant", "", "/x", true, false).threadCount(8)).isEqualTo(8);
        assertThat(form("n", "3", "/x", true, false).threadCount(8)).isEqualTo(3);
        assertThatThrownBy(() -> form("n", "", "/x", true, false).threadCount(8)).isInstanceOf(UpliftException.class)
                .hasMessageStartingWith("Threads: --threads  is not reliable, recommended, performant or a number");
    }

    @Test
    void validationIsTurnedOffOnlyWithTheWarningAcknowledged() {
        assertThatThrownBy(() -> form("reliable", "", "/x", false, false).request(2)).hasMessageStartingWith("Validate: it is off");
        MoveRequest unchecked = form("reliable", "", "/var/lib/pg16", false, true).request(2);
        assertThat(unchecked.validate()).isFalse();
        assertThat(unchecked.newServer().orElseThrow().major()).isEqualTo(16);
    }

    @Test
    void aRelativeFolderIsRefusedNamingTheField() {
        assertThatThrownBy(() -> form("reliable", "", "pg16", true, false).request(2))
                .hasMessageStartingWith("New server's data folder: 'pg16' is not an absolute path");
    }

    @Test
    void aConnectionStringThatMayHoldAPasswordIsNeverEchoed() {
        assertThat(DbMoveForm.mayHoldPassword("postgresql://lockbox:s3cret@db:5432/lockbox")).isTrue();
        assertThat(DbMoveForm.mayHoldPassword("host=db dbname=lockbox user=lockbox password=s3cret")).isTrue();
        assertThat(DbMoveForm.mayHoldPassword("postgresql://lockbox@db:5432/lockbox?password=s3cret")).isTrue();
        assertThat(DbMoveForm.mayHoldPassword("postgresql://lockbox@db:5432/lockbox")).isFalse();
        DbMoveForm withPassword = new DbMoveForm("postgresql://lockbox:s3cret@db/lockbox", "", "url", "host=t user=u password=p dbname=d",
                "", "16", "", "reliable", "", "", false, "", false, "", false, true, true, false, false, "", false, "");
        assertThat(withPassword.echo(false).source()).isEmpty();
        assertThat(withPassword.echo(false).target()).isEmpty();
        assertThat(withPassword.echo(false).deleteSourceConfirmed()).as("the second confirmation is asked again").isFalse();
        assertThat(form("reliable", "", "/x", true, false).echo(false).source()).isEqualTo(SOURCE);
        assertThat(form("reliable", "", "/x", true, false).echo(true).source()).isEmpty();
    }
}
