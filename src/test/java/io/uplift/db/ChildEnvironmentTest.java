package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    private static final Map<String, String> OPERATOR = Map.ofEntries(
            Map.entry("PATH", "/usr/bin:/bin"), Map.entry("LANG", "de_DE.UTF-8"), Map.entry("LC_TIME", "de_DE.UTF-8"),
            Map.entry("TZ", "Europe/Berlin"), Map.entry("TMPDIR", "/var/tmp"), Map.entry("HOME", "/root"), Map.entry("USER", "root"),
            Map.entry("JAVA_HOME", "/opt/jdk"), Map.entry("UPLIFT_MASTER_KEY", "c2VjcmV0LW1hc3Rlci1rZXk="),
            Map.entry("UPLIFT_KEYSET_PASSPHRASE", "correct horse"), Map.entry("PGPASSWORD", "someone-elses"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "aws"), Map.entry("SSH_AUTH_SOCK", "/tmp/agent"));

    @Test
    void issue13_item9_aToolGetsOnlyPathLocaleTimeZoneAndTempFolderPlusWhatTheRunSets() {
        Map<String, String> child = ChildEnvironment.forTools().of(OPERATOR, Map.of("PGPASSFILE", "/tmp/x/pgpass", "LC_MESSAGES", "C"));

        assertThat(child).containsOnlyKeys("PATH", "LANG", "LC_TIME", "TZ", "TMPDIR", "PGPASSFILE", "LC_MESSAGES");
        assertThat(child).containsEntry("PGPASSFILE", "/tmp/x/pgpass").containsEntry("LC_MESSAGES", "C");
    }

    @Test
    void issue13_item9_aServiceCommandAlsoGetsTheLoginVariablesButNeverUpliftsSecrets() {
        Map<String, String> child = ChildEnvironment.forServices().of(OPERATOR, Map.of());

        assertThat(child).containsOnlyKeys("PATH", "LANG", "LC_TIME", "TZ", "TMPDIR", "HOME", "USER", "JAVA_HOME");
        assertThat(child.values()).doesNotContain("c2VjcmV0LW1hc3Rlci1rZXk=", "correct horse", "someone-elses", "aws");
    }

    @Test
    void issue13_item9_anUpliftVariableIsRefusedEvenWhenACallerSetsItExplicitly() {
        assertThatThrownBy(() -> ChildEnvironment.forTools().of(Map.of(), Map.of("UPLIFT_MASTER_KEY", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPLIFT_MASTER_KEY");
    }

    @Test
    void issue13_item9_aRealChildProcessSeesOnlyTheAllowedVariables() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/env").redirectErrorStream(true);
        builder.environment().put("UPLIFT_MASTER_KEY", "leaked-if-you-see-this");
        builder.environment().put("PGSERVICE", "elsewhere");
        ChildEnvironment.forTools().applyTo(builder, Map.of("PGAPPNAME", "uplift"));
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();

        assertThat(output).doesNotContain("leaked-if-you-see-this").doesNotContain("PGSERVICE").contains("PGAPPNAME=uplift");
    }
}
