package io.uplift.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.MasterKeyTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MasterKeySourceTest {
    @Test
    void theOperatorsChoiceBecomesTheSameSourceAndAPassphraseGetsItsOwnSalt() {
        MasterKeyTarget file = new MasterKeyTarget.KeyFile(Path.of("/etc/uplift/master.key"));
        assertThat(MasterKeySource.of(file)).isEqualTo(MasterKeySource.keyFile(Path.of("/etc/uplift/master.key")));
        assertThat(MasterKeySource.of(new MasterKeyTarget.Environment("K")).target()).isEqualTo(new MasterKeyTarget.Environment("K"));

        MasterKeySource.Passphrase one = (MasterKeySource.Passphrase) MasterKeySource.of(MasterKeyTarget.passphrase());
        MasterKeySource.Passphrase two = (MasterKeySource.Passphrase) MasterKeySource.of(MasterKeyTarget.passphrase());
        assertThat(one.variable()).isEqualTo(MasterKeySource.PASSPHRASE_VARIABLE);
        assertThat(one.kdf().salt()).isNotEqualTo(two.kdf().salt());
        assertThat(one.describe()).isEqualTo(MasterKeyTarget.passphrase().describe());
    }
}
