package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.NodeLocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed keyset file against wrong keys, edits, truncation, loose permissions and old cleartext files. */
class KeysetEnvelopeTest {
    @TempDir
    Path dir;

    private Path keyset() {
        return dir.resolve("home/config/keyset.json");
    }

    private Path keyFile() {
        return dir.resolve("secure/master.key");
    }

    private InstallationKeyset sealedWithKeyFile() {
        return KeysetStore.of(keyset()).create(MasterKeySource.keyFile(keyFile()), KeyEnvironment.of(Map.of())).keyset();
    }

    /** Every file under the temp folder with its SHA-256: a refused load must change none. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                        Files.isDirectory(p) ? "dir" : NodeLocalFiles.sha256(p).orElse("?"));
            }
        }
        return files;
    }

    private AbstractThrowableAssert<?, ?> refusedLoad(KeyEnvironment env) throws IOException {
        Map<String, String> before = snapshot();
        var thrown = assertThatThrownBy(() -> KeysetStore.of(keyset()).open(env).keyset()).isInstanceOf(UpliftException.class)
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID));
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
        return thrown;
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAsBase64OfThirtyTwoRandomBytes() throws Exception {
        sealedWithKeyFile();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile()).strip())).hasSize(32);
    }

    @Test
    void theHeaderNamesTheSourceAndTheFileHoldsNoKeyInAnyForm() throws Exception {
        InstallationKeyset keyset = sealedWithKeyFile();
        String text = Files.readString(keyset());

        assertThat(text).contains("\"format\" : \"uplift-keyset/1\"", "\"source\" : \"key-file\"", keyFile().toString(),
                "\"encryptedKeyset\"");
        byte[] masterKey = Base64.getDecoder().decode(Files.readString(keyFile()).strip());
        assertThat(RawKeys.leakedIn(Files.readAllBytes(keyset()), RawKeys.of(keyset))).isFalse();
        assertThat(RawKeys.leakedIn(Files.readAllBytes(keyset()), java.util.List.of(masterKey))).isFalse();
    }

    @Test
    void theLeakSearchFindsKeysInATinkCleartextKeyset() throws Exception {
        // The control: the same search over the old cleartext format must find the key, or it proves nothing.
        InstallationKeyset keyset = InstallationKeyset.generate();
        String clear = TinkJsonProtoKeysetFormat.serializeKeyset(keyset.handle(), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
        assertThat(RawKeys.leakedIn(clear.getBytes(UTF_8), RawKeys.of(keyset))).isTrue();
        byte[] key = RawKeys.of(keyset).get(0);
        assertThat(RawKeys.leakedIn(java.util.HexFormat.of().formatHex(key).getBytes(UTF_8), RawKeys.of(keyset))).isTrue();
        assertThat(RawKeys.leakedIn(("x" + Base64.getEncoder().encodeToString(key)).getBytes(UTF_8), RawKeys.of(keyset))).isTrue();
    }

    @Test
    void aWrongKeyFileIsReportedAsAWrongKeyAndChangesNothing() throws Exception {
        sealedWithKeyFile();
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.writeString(keyFile(), Base64.getEncoder().encodeToString(other));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("Wrong master key: the key file " + keyFile())
                .hasMessageContaining("does not open the keyset " + keyset()).hasMessageContaining("Nothing was changed");
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        sealedWithKeyFile();
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("The master key file " + keyFile() + " can be read or changed by other users")
                .hasMessageContaining("mode rw-r--r--").hasMessageContaining("Run: chmod 600 " + keyFile());
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        sealedWithKeyFile();
        Files.delete(keyFile());

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("The master key file " + keyFile() + " named by the keyset " + keyset()
                + " does not exist");
    }

    @Test
    void aKeyFileBesideTheKeysetIsRefused() {
        Path beside = keyset().resolveSibling("master.key");
        assertThatThrownBy(() -> KeysetStore.of(keyset()).create(MasterKeySource.keyFile(beside), KeyEnvironment.of(Map.of())).keyset())
                .isInstanceOf(UpliftException.class).hasMessageContaining("beside the keyset it protects");
        assertThat(keyset()).doesNotExist();
        assertThat(beside).doesNotExist();
    }

    @Test
    void anEditedByteOfTheEncryptedKeysetFailsTheIntegrityCheck() throws Exception {
        sealedWithKeyFile();
        String text = Files.readString(keyset());
        int at = text.indexOf("\"encryptedKeyset\" : \"") + "\"encryptedKeyset\" : \"".length() + 40;
        assertThat(at).isGreaterThan(100);
        char c = text.charAt(at);
        Files.writeString(keyset(), text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("The keyset " + keyset() + " is damaged: it failed its integrity check")
                .hasMessageContaining("Restore config/keyset.json from this node's backup");
    }

    @Test
    void anEditedHeaderFailsTheIntegrityCheckToo() throws Exception {
        InstallationKeyset keyset = sealedWithKeyFile();
        String text = Files.readString(keyset());
        Files.writeString(keyset(), text.replace("\"primaryKeyId\" : " + keyset.primaryKeyId(), "\"primaryKeyId\" : 7"));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("failed its integrity check");
    }

    @Test
    void aTruncatedKeysetIsRefusedAsDamaged() throws Exception {
        sealedWithKeyFile();
        byte[] content = Files.readAllBytes(keyset());
        Files.write(keyset(), Arrays.copyOf(content, content.length / 2));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("The keyset " + keyset() + " is damaged: it is not valid JSON");

        Files.write(keyset(), new byte[0]);
        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("is damaged");
    }

    @Test
    void aPassphraseOpensTheKeysetAndAWrongOneIsReportedAsSuchChangingNothing() throws Exception {
        KeyEnvironment right = KeyEnvironment.of(Map.of("UPLIFT_KEYSET_PASSPHRASE", "correct horse battery staple"));
        InstallationKeyset created = KeysetStore.of(keyset()).create(MasterKeySource.passphrase(), right).keyset();
        String text = Files.readString(keyset());
        assertThat(text).contains("\"source\" : \"passphrase\"", "\"algorithm\" : \"argon2id\"", "\"memoryKib\" : 65536",
                "\"iterations\" : 3").doesNotContain("correct horse");

        assertThat(KeysetStore.of(keyset()).open(right).keyset().fingerprint()).isEqualTo(created.fingerprint());
        refusedLoad(KeyEnvironment.of(Map.of("UPLIFT_KEYSET_PASSPHRASE", "correct horse battery stapler")))
                .hasMessageContaining("Wrong master key: the passphrase ($UPLIFT_KEYSET_PASSPHRASE, or asked on the terminal) does not open");
        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("is sealed with a passphrase, and there is none: set the environment"
                + " variable UPLIFT_KEYSET_PASSPHRASE or run the command on a terminal");
    }

    @Test
    void theTerminalPromptIsAskedWhenTheVariableIsNotSet() {
        KeyEnvironment env = KeyEnvironment.of(Map.of("UPLIFT_KEYSET_PASSPHRASE", "a passphrase of some length"));
        InstallationKeyset created = KeysetStore.of(keyset()).create(MasterKeySource.passphrase(), env).keyset();
        String[] asked = new String[1];
        KeyEnvironment terminal = new KeyEnvironment(name -> null, question -> {
            asked[0] = question;
            return java.util.Optional.of("a passphrase of some length".toCharArray());
        });

        assertThat(KeysetStore.of(keyset()).open(terminal).keyset().fingerprint()).isEqualTo(created.fingerprint());
    }

    @Test
    void anEnvironmentVariableSourceNamesTheVariableWhenItIsMissingOrWrong() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyEnvironment env = KeyEnvironment.of(Map.of("UPLIFT_MASTER_KEY", Base64.getEncoder().encodeToString(key)));
        InstallationKeyset created = KeysetStore.of(keyset()).create(MasterKeySource.environment(), env).keyset();
        assertThat(KeysetStore.of(keyset()).open(env).keyset().fingerprint()).isEqualTo(created.fingerprint());

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("the environment variable UPLIFT_MASTER_KEY, which is not set");
        refusedLoad(KeyEnvironment.of(Map.of("UPLIFT_MASTER_KEY", "not base64!"))).hasMessageContaining(
                "The environment variable UPLIFT_MASTER_KEY is not valid base64");
        refusedLoad(KeyEnvironment.of(Map.of("UPLIFT_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("holds 16 bytes, not 32");
    }

    @Test
    void anOldCleartextKeysetIsRefusedUntilProtectSealsItWithTheSameKeys() throws Exception {
        InstallationKeyset old = InstallationKeyset.generate();
        byte[] ciphertext = old.aead().encrypt("value".getBytes(UTF_8), new byte[0]);
        Files.createDirectories(keyset().getParent());
        Files.writeString(keyset(), TinkJsonProtoKeysetFormat.serializeKeyset(old.handle(), RegistryConfiguration.get(),
                InsecureSecretKeyAccess.get()));

        refusedLoad(KeyEnvironment.of(Map.of())).hasMessageContaining("is stored in clear")
                .hasMessageContaining("uplift keys protect --home HOME --key-file FILE");

        InstallationKeyset sealed = KeysetResealing.reseal(keyset(), MasterKeySource.keyFile(keyFile()), KeyEnvironment.of(Map.of())).keyset();

        assertThat(sealed.fingerprint()).isEqualTo(old.fingerprint());
        assertThat(RawKeys.leakedIn(Files.readAllBytes(keyset()), RawKeys.of(old))).isFalse();
        assertThat(new String(KeysetStore.of(keyset()).open(KeyEnvironment.system()).keyset().aead().decrypt(ciphertext, new byte[0]), UTF_8)).isEqualTo("value");
    }

    @Test
    void protectMovesASealedKeysetToAnotherSource() throws Exception {
        InstallationKeyset created = sealedWithKeyFile();
        KeyEnvironment env = KeyEnvironment.of(Map.of("UPLIFT_KEYSET_PASSPHRASE", "moving to a passphrase now"));

        KeysetResealing.reseal(keyset(), MasterKeySource.passphrase(), env);

        assertThat(KeysetEnvelope.header(keyset()).source()).isInstanceOf(MasterKeySource.Passphrase.class);
        assertThat(KeysetStore.of(keyset()).open(env).keyset().fingerprint()).isEqualTo(created.fingerprint());
    }
}
