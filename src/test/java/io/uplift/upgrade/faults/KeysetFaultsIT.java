package io.uplift.upgrade.faults;

import io.uplift.testsupport.UpliftJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.db.Jdbc;
import io.uplift.demo.DemoPreparer;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.InstallationKeyset;
import io.uplift.api.KeyEnvironment;
import io.uplift.keys.KeysetRecord;
import io.uplift.keys.KeysetStore;
import io.uplift.keys.RawKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The installation keyset against bad input, on real Lockbox demos (PostgreSQL 10) driven through
 * the uplift command line in child JVMs (issue 5, parts 1, 3 and 4): a wrong master key or
 * passphrase, a key file others can read, a keyset edited or truncated, a keyset of another
 * installation; and the raw keys never written anywhere in clear, through a whole upgrade to 3.0
 * with its key rotation, database move and backup.
 */
class KeysetFaultsIT {
    private static final Optional<Path> SHIPPED_CATALOG = Optional.empty();
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    private static Path keysetFile(Demo demo) {
        return demo.home.resolve("config/keyset.json");
    }

    private static Path masterKey(Demo demo) {
        return DemoPreparer.masterKeyFile(demo.home);
    }

    /** The home (without db/, the lock file and the upgrade log) and the master key file, with their contents and modes. */
    private static Map<String, String> snapshot(Demo demo) {
        Map<String, String> s = new TreeMap<>(Snapshots.home(demo.home, false));
        try {
            s.put("(master key)", Base64.getEncoder().encodeToString(Files.readAllBytes(masterKey(demo))) + " "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKey(demo))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    private static Optional<KeysetRecord> recorded(Demo demo) {
        DatabaseSettings db = DatabaseSettings.read(demo.home);
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            return KeysetRecord.read(conn);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command, asserting its exit code and that the home and the master key are as before. */
    private static UpliftJvm.Result refusedChangingNothing(Demo demo, int exit, String... args) {
        Map<String, String> before = snapshot(demo);
        UpliftJvm.Result r = demo.run(demo.args(SHIPPED_CATALOG, args));
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(snapshot(demo)).as("nothing changed by 'uplift " + String.join(" ", args) + "'").isEqualTo(before);
        return r;
    }

    /** Damages the installation with {@code damage}, checks that check and upgrade refuse, then puts the files back. */
    private static void refusedByCheckAndUpgrade(Demo demo, Consumer<Demo> damage, String... expected) throws IOException {
        byte[] keyset = Files.readAllBytes(keysetFile(demo));
        byte[] key = Files.readAllBytes(masterKey(demo));
        try {
            damage.accept(demo);
            UpliftJvm.Result check = refusedChangingNothing(demo, 4, "check", "--to", "1.1");
            assertThat(check.out()).contains("[FAIL] Keyset matches the database").contains(expected);
            UpliftJvm.Result upgrade = refusedChangingNothing(demo, 4, "upgrade", "--to", "1.1", "--yes");
            assertThat(upgrade.err()).contains("The upgrade did not start, nothing was changed").contains("Keyset matches the database")
                    .contains(expected);
            assertThat(demo.journalFile()).doesNotExist();
        } finally {
            Files.write(keysetFile(demo), keyset);
            Files.write(masterKey(demo), key);
            Files.setPosixFilePermissions(masterKey(demo), PosixFilePermissions.fromString("rw-------"));
        }
        UpliftJvm.Result healthy = demo.run(demo.args(SHIPPED_CATALOG, "check", "--to", "1.1"));
        assertThat(healthy.out()).as(healthy.toString()).contains("[PASS] Keyset matches the database");
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDemoSealsTheKeysetWithAKeyFileBesideTheHomeAndRecordsItsFingerprint() throws Exception {
        Demo demo = Demo.prepare();
        InstallationKeyset keyset = KeysetStore.of(keysetFile(demo)).open(KeyEnvironment.system()).keyset();

        assertThat(masterKey(demo)).exists().satisfies(p -> assertThat(p.startsWith(demo.home)).isFalse());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKey(demo)))).isEqualTo("rw-------");
        assertThat(Files.readString(keysetFile(demo))).contains("\"source\" : \"key-file\"", masterKey(demo).toString());
        KeysetRecord r = recorded(demo).orElseThrow();
        assertThat(r.fingerprint()).isEqualTo(keyset.fingerprint());
        assertThat(r.primaryKeyId()).isEqualTo(keyset.primaryKeyId());
        assertThat(r.node()).isEqualTo(KeysetRecord.thisNode());
        assertThat(r.home()).isEqualTo(demo.home.toString());
    }

    @Test
    void aWrongMasterKeyALooseKeyFileAndAnEditedOrTruncatedKeysetAreRefusedWithNothingChanged() throws Exception {
        Demo demo = Demo.prepare();

        refusedByCheckAndUpgrade(demo, d -> {
            byte[] other = new byte[32];
            new SecureRandom().nextBytes(other);
            write(masterKey(d), Base64.getEncoder().encode(other));
        }, "Wrong master key: the key file " + masterKey(demo), "does not open the keyset " + keysetFile(demo));

        refusedByCheckAndUpgrade(demo, d -> {
            try {
                Files.setPosixFilePermissions(masterKey(d), PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "can be read or changed by other users (mode rw-r--r--)", "Run: chmod 600 " + masterKey(demo));

        refusedByCheckAndUpgrade(demo, d -> {
            try {
                String text = Files.readString(keysetFile(d));
                int at = text.indexOf("\"encryptedKeyset\" : \"") + 60;
                write(keysetFile(d), (text.substring(0, at) + (text.charAt(at) == 'x' ? 'y' : 'x') + text.substring(at + 1))
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "The keyset " + keysetFile(demo) + " is damaged: it failed its integrity check", "Restore config/keyset.json from this node's backup");

        refusedByCheckAndUpgrade(demo, d -> {
            try {
                byte[] content = Files.readAllBytes(keysetFile(d));
                write(keysetFile(d), Arrays.copyOf(content, content.length - 40));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "The keyset " + keysetFile(demo) + " is damaged: it is not valid JSON");
    }

    @Test
    void aPassphraseSealedKeysetOpensWithItsPassphraseOnlyAndProtectMovesItBack() {
        Demo demo = Demo.prepare();
        String fingerprint = KeysetStore.of(keysetFile(demo)).open(KeyEnvironment.system()).keyset().fingerprint();
        Map<String, String> right = Map.of("UPLIFT_KEYSET_PASSPHRASE", "the right passphrase, long enough");

        UpliftJvm.Result noYes = UpliftJvm.start(demo.work, right, demo.args(SHIPPED_CATALOG, "keys", "protect", "--passphrase"))
                .awaitExit(STEP_TIMEOUT);
        assertThat(noYes.exit()).as(noYes.toString()).isEqualTo(16);
        UpliftJvm.Result protect = UpliftJvm.start(demo.work, right,
                demo.args(SHIPPED_CATALOG, "keys", "protect", "--passphrase", "--yes")).awaitExit(STEP_TIMEOUT);
        assertThat(protect.exit()).as(protect.toString()).isZero();
        assertThat(protect.out()).contains("sealed with the passphrase").contains(fingerprint).contains("fingerprint already recorded");

        Map<String, String> before = snapshot(demo);
        UpliftJvm.Result wrong = UpliftJvm.start(demo.work, Map.of("UPLIFT_KEYSET_PASSPHRASE", "the wrong passphrase"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "1.1", "--yes")).awaitExit(STEP_TIMEOUT);
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(4);
        assertThat(wrong.err()).contains("Wrong master key: the passphrase ($UPLIFT_KEYSET_PASSPHRASE, or asked on the terminal) does not"
                + " open the keyset " + keysetFile(demo));
        UpliftJvm.Result none = demo.run(demo.args(SHIPPED_CATALOG, "check", "--to", "1.1"));
        assertThat(none.exit()).as(none.toString()).isEqualTo(4);
        assertThat(none.out()).contains("is sealed with a passphrase, and there is none: set the environment variable UPLIFT_KEYSET_PASSPHRASE");
        assertThat(snapshot(demo)).isEqualTo(before);

        UpliftJvm.Result check = UpliftJvm.start(demo.work, right, demo.args(SHIPPED_CATALOG, "check", "--to", "1.1"))
                .awaitExit(STEP_TIMEOUT);
        assertThat(check.out()).as(check.toString()).contains("[PASS] Keyset matches the database")
                .as("protect records the new hash of config/keyset.json").contains("[PASS] Node-local files");

        UpliftJvm.Result back = UpliftJvm.start(demo.work, right,
                demo.args(SHIPPED_CATALOG, "keys", "protect", "--key-file", masterKey(demo).toString(), "--yes")).awaitExit(STEP_TIMEOUT);
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(KeysetStore.of(keysetFile(demo)).open(KeyEnvironment.system()).keyset().fingerprint()).isEqualTo(fingerprint);
    }

    @Test
    void anotherInstallationsKeysetIsRefusedByCheckUpgradeBackupResumeAndTheRollbacksRestore() throws Exception {
        Demo demo = Demo.prepare();
        byte[] own = Files.readAllBytes(keysetFile(demo));
        KeysetRecord recorded = recorded(demo).orElseThrow();
        // Another installation's keyset, sealed with this node's master key, as if both had been copied over.
        InstallationKeyset foreign = InstallationKeyset.generate();
        Path elsewhere = demo.work.resolve("other/config/keyset.json");
        Files.createDirectories(elsewhere.getParent());
        Files.copy(keysetFile(demo), elsewhere);
        KeysetStore.of(elsewhere).write(foreign, KeysetStore.of(elsewhere).open(KeyEnvironment.system()).seal());
        byte[] foreignBytes = Files.readAllBytes(elsewhere);
        String[] mismatch = {"This node's keyset does not match the database's: " + keysetFile(demo) + " has fingerprint "
                + foreign.fingerprint().substring(0, 12), "the database recorded " + recorded.fingerprint().substring(0, 12),
                "from node " + recorded.node() + ", home " + demo.home,
                "This very node and home recorded it, so the keyset in place replaced it since: put back the config/keyset.json that goes"
                        + " with this database"};

        Files.write(keysetFile(demo), foreignBytes);
        UpliftJvm.Result check = refusedChangingNothing(demo, 4, "check", "--to", "1.1");
        assertThat(check.out()).contains("[FAIL] Keyset matches the database").contains(mismatch);
        UpliftJvm.Result upgrade = refusedChangingNothing(demo, 4, "upgrade", "--to", "2.1", "--yes");
        assertThat(upgrade.err()).contains("The upgrade did not start, nothing was changed").contains(mismatch);
        UpliftJvm.Result backup = refusedChangingNothing(demo, 12, "backup");
        assertThat(backup.err()).contains(mismatch).contains("No backup was written");

        // An upgrade of the right keyset, killed after its migrations; then the keyset is swapped.
        Files.write(keysetFile(demo), own);
        UpliftJvm first = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "2.1/migrate-schema:after"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes"));
        try {
            first.awaitWhileRunning("the hold point", STEP_TIMEOUT, () -> first.err().contains("uplift-test-hold 2.1/migrate-schema:after"));
        } finally {
            first.kill();
        }
        Files.write(keysetFile(demo), foreignBytes);
        UpliftJvm.Result resume = refusedChangingNothing(demo, 12, "resume", "--yes");
        assertThat(resume.err()).contains(mismatch).contains("Nothing was changed.");

        String schemaBefore = schemaVersion(demo);
        UpliftJvm.Result rollback = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes"));
        assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(18);
        assertThat(rollback.err()).contains("goes with the keyset " + recorded.fingerprint().substring(0, 12))
                .contains("The database was not touched").contains("--accept-keyset-mismatch");
        assertThat(schemaVersion(demo)).as("the database was not restored").isEqualTo(schemaBefore).isNotEqualTo("1.0.0.002");

        UpliftJvm.Result accepted = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes", "--accept-keyset-mismatch"));
        assertThat(accepted.exit()).as(accepted.toString()).isZero();
        assertThat(schemaVersion(demo)).isEqualTo("1.0.0.002");
        assertThat(Files.readAllBytes(keysetFile(demo))).as("rollback never writes a keyset it did not rotate").isEqualTo(foreignBytes);

        Files.write(keysetFile(demo), own);
        UpliftJvm.Result healthy = demo.run(demo.args(SHIPPED_CATALOG, "check", "--to", "1.1"));
        assertThat(healthy.out()).as(healthy.toString()).contains("[PASS] Keyset matches the database");
    }

    private static String schemaVersion(Demo demo) {
        DatabaseSettings db = DatabaseSettings.read(demo.home);
        java.util.Properties credentials = new java.util.Properties();
        credentials.setProperty("user", db.user());
        credentials.setProperty("password", db.password());
        return Snapshots.schemaVersion(db.url(), credentials);
    }

    @Test
    void theRawKeysAreNeverWrittenToTheHomeTheBackupsOrTheOutputThroughAnUpgradeWithRotation() throws Exception {
        Demo demo = Demo.prepare();
        InstallationKeyset before = KeysetStore.of(keysetFile(demo)).open(KeyEnvironment.system()).keyset();
        List<UpliftJvm.Result> outputs = new ArrayList<>();

        UpliftJvm.Result upgrade = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "3.0", "--yes"));
        outputs.add(upgrade);
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        InstallationKeyset after = KeysetStore.of(keysetFile(demo)).open(KeyEnvironment.system()).keyset();
        assertThat(after.primaryKeyId()).as("rotated").isNotEqualTo(before.primaryKeyId());
        assertThat(recorded(demo).orElseThrow().fingerprint()).as("the rotation recorded the new keyset in the moved database")
                .isEqualTo(after.fingerprint());

        // (No backup after the upgrade: the machine's pg_dump 15 cannot dump the moved PostgreSQL 16 database.)
        Path backups = demo.home.resolve(".uplift/backups");
        List<JsonNode> manifests = new ArrayList<>();
        try (Stream<Path> s = Files.list(backups)) {
            for (Path b : s.filter(Files::isDirectory).sorted().toList()) {
                manifests.add(new ObjectMapper().readTree(b.resolve("manifest.json").toFile()));
                UpliftJvm.Result verify = demo.run(demo.args(SHIPPED_CATALOG, "backup", "--verify", b.getFileName().toString()));
                outputs.add(verify);
                assertThat(verify.exit()).as(verify.toString()).isZero();
            }
        }
        assertThat(manifests).extracting(m -> m.path("keysetFingerprint").asText())
                .as("the upgrade's backup holds the keyset before the rotation").containsExactly(before.fingerprint());
        assertThat(manifests).extracting(m -> m.path("databaseKeysetFingerprint").asText()).containsExactly(before.fingerprint());

        List<byte[]> keys = new ArrayList<>(RawKeys.of(after));
        assertThat(keys).hasSize(2);
        assertThat(RawKeys.filesLeaking(keys, demo.home, demo.work, demo.home.getParent())).as("files holding a raw key").isEmpty();
        for (UpliftJvm.Result r : outputs) {
            assertThat(RawKeys.leakedIn((r.out() + r.err()).getBytes(StandardCharsets.UTF_8), keys)).as("output " + r).isFalse();
        }
        // The control: the search finds the keys where they are.
        Path clear = demo.work.resolve("control.json");
        Files.writeString(clear, com.google.crypto.tink.TinkJsonProtoKeysetFormat.serializeKeyset(after.handle(),
                com.google.crypto.tink.RegistryConfiguration.get(), com.google.crypto.tink.InsecureSecretKeyAccess.get()));
        assertThat(RawKeys.filesLeaking(keys, demo.work)).containsExactly(clear);
        Files.delete(clear);

        // A backup whose keyset is not the one its database recorded fails verification.
        Path only;
        try (Stream<Path> s = Files.list(backups)) {
            only = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path manifest = only.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"databaseKeysetFingerprint\" : \"" + before.fingerprint(),
                "\"databaseKeysetFingerprint\" : \"" + after.fingerprint()));
        UpliftJvm.Result verify = demo.run(demo.args(SHIPPED_CATALOG, "backup", "--verify", only.getFileName().toString()));
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(17);
        assertThat(verify.err()).contains("config/keyset.json: keyset mismatch (the backed-up keyset is " + before.fingerprint().substring(0, 12)
                + " but the dumped database recorded " + after.fingerprint().substring(0, 12) + ")");
    }
}
