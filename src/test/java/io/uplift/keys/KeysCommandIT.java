package io.uplift.keys;

import io.uplift.testsupport.ShippedCatalog;
import io.uplift.testsupport.UpliftJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.install.NodeLocalFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 'uplift keys', 'keys rotate' and 'keys retire' on real Lockbox installations (PostgreSQL 10), run
 * as the command line in child JVMs; and what they refuse (issue 5, bad input), with nothing changed.
 */
class KeysCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PROBE = "probe".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rotateReencryptsEveryValueUnderANewKeyAndRetireDisablesTheOldOneAfterItsGrace() throws Exception {
        KeysHome h = KeysHome.prepare(30_000);
        try {
            InstallationKeyset original = h.keyset();
            SecretRows.Checksum before = h.checksum(original);
            byte[] underOld = original.aead().encrypt(PROBE, new byte[0]);

            UpliftJvm.Result rotate = h.run("keys", "rotate", "--yes", "--grace", "0s");
            assertThat(rotate.exit()).as(rotate.toString()).isZero();
            assertThat(rotate.out()).contains("Rotation done").contains("30,020 values re-encrypted").contains("30,020 verified");
            assertThat(rotate.err()).as("a progress bar with rate and ETA").contains("Re-encrypting").contains("values/s").contains("ETA");
            InstallationKeyset rotated = h.keyset();
            assertThat(rotated.primaryKeyId()).isNotEqualTo(original.primaryKeyId());
            assertThat(h.count("SELECT count(*) FROM secrets WHERE key_id <> " + rotated.primaryKeyId())).isZero();
            assertThat(h.checksum(rotated)).isEqualTo(before);
            assertThat(rotated.aead().decrypt(underOld, new byte[0])).as("the old key still decrypts in its grace").isEqualTo(PROBE);

            JsonNode keys = json(h.run("keys", "--json"));
            assertThat(keys.at("/primaryKeyId").asLong()).isEqualTo(rotated.primaryKeyId());
            assertThat(keys.at("/keys/0/status").asText()).isEqualTo("primary");
            assertThat(keys.at("/keys/0/values/secrets.value").asLong()).isEqualTo(30_020);
            assertThat(keys.at("/keys/1/keyId").asLong()).isEqualTo(original.primaryKeyId());
            assertThat(keys.at("/keys/1/status").asText()).isEqualTo("retiring");
            assertThat(keys.at("/keys/1/retiringUntil").asText()).isNotEmpty();
            JsonNode status = json(h.run("status", "--json"));
            assertThat(status.at("/keys/retiring/0/keyId").asLong()).isEqualTo(original.primaryKeyId());
            assertThat(status.at("/nodeLocalFiles").toString()).as("Uplift records the keyset it wrote")
                    .contains("{\"path\":\"config/keyset.json\",\"state\":\"unchanged\"}");
            assertThat(h.run("status").out()).contains("Key rotation   none; key " + original.primaryKeyId() + " retiring until ");

            UpliftJvm.Result retire = h.run("keys", "retire", "--yes");
            assertThat(retire.exit()).as(retire.toString()).isZero();
            assertThat(retire.out()).contains("Key " + original.primaryKeyId() + " disabled");
            InstallationKeyset retired = h.keyset();
            assertThat(KeysetEntries.of(retired)).contains(new KeysetEntries.Entry(original.primaryKeyId(), false, KeysetEntries.TinkStatus.DISABLED));
            assertThatThrownBy(() -> retired.aead().decrypt(underOld, new byte[0])).isInstanceOf(GeneralSecurityException.class);
            assertThat(h.checksum(retired)).isEqualTo(before);
            assertThat(RotationState.read(h.home).retiring()).isEmpty();
        } finally {
            h.stop();
        }
    }

    @Test
    void retireRefusesAKeyThatValuesAreStillUnderNamingTheRowsAndChangesNothing() throws Exception {
        KeysHome h = KeysHome.prepare(0);
        try {
            InstallationKeyset original = h.keyset();
            assertThat(h.run("keys", "rotate", "--yes").exit()).isZero();
            UpliftJvm.Result early = h.run("keys", "retire", "--yes");
            assertThat(early.exit()).as(early.toString()).isZero();
            assertThat(early.out()).contains("No key is due").contains("Key " + original.primaryKeyId() + " is retiring until");
            try (Connection conn = h.connect()) { // the product writing with the old key, after the rotation
                SecretRows.insert(conn, "secrets", 5_000_000, 2, original.aead(), original.primaryKeyId(), 1);
            }
            // The count runs under the home lock, whose file then names this run as its last holder: nothing else may change.
            Map<String, String> before = snapshot(h.home, ".uplift/lock");

            UpliftJvm.Result refused = h.run("keys", "retire", "--now", "--yes");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(25);
            assertThat(refused.err()).contains("key " + original.primaryKeyId() + " encrypts 2 values of secrets.value (rows 5000000, 5000001)")
                    .contains("uplift keys rotate").contains("Nothing was changed");
            assertThat(snapshot(h.home, ".uplift/lock")).isEqualTo(before);
        } finally {
            h.stop();
        }
    }

    @Test
    void aSecondRotationWhileOneRunsIsRefusedWithExitFifteenNamingTheHolderAndChangesNothing() throws Exception {
        KeysHome h = KeysHome.prepare(300_000);
        try {
            UpliftJvm first = UpliftJvm.start(h.work, Map.of(), h.withHome("keys", "rotate", "--yes"));
            try {
                assertThat(first.awaitErr("Re-encrypting", Duration.ofMinutes(2))).as(first.result(-1).toString()).isTrue();
                Map<String, String> during = snapshot(h.home, "db", ".uplift/lock");

                UpliftJvm.Result second = h.run("keys", "rotate", "--yes");
                assertThat(first.isAlive()).as("the first rotation was still running").isTrue();
                assertThat(second.exit()).as(second.toString()).isEqualTo(15);
                assertThat(second.err()).contains("pid " + first.pid() + " on ").contains("'uplift keys rotate'");
                assertThat(snapshot(h.home, "db", ".uplift/lock")).as("the second run changed nothing").isEqualTo(during);

                UpliftJvm.Result done = first.awaitExit(Duration.ofMinutes(3));
                assertThat(done.exit()).as(done.toString()).isZero();
            } finally {
                first.kill();
            }
            assertThat(KeysetEntries.of(h.keyset())).as("one new key, not two").hasSize(2);
            assertThat(h.count("SELECT count(*) FROM secrets WHERE key_id <> " + h.keyset().primaryKeyId())).isZero();
        } finally {
            h.stop();
        }
    }

    @Test
    void rotationWithNoEncryptedColumnsInTheCatalogIsRefusedWithExitTenAndChangesNothing() throws Exception {
        KeysHome h = KeysHome.prepare(0);
        try {
            Path catalog = catalogWithoutEncryptedColumns();
            Map<String, String> before = snapshot(h.home);
            UpliftJvm.Result r = h.run("keys", "rotate", "--yes", "--catalog", catalog.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(10);
            assertThat(r.err()).contains("lists no encrypted-columns").contains(catalog.resolve("releases/1.0/release.yaml").toString())
                    .contains("nothing was changed");
            assertThat(snapshot(h.home)).isEqualTo(before);
        } finally {
            h.stop();
        }
    }

    @Test
    void rotationWhileAnUpgradeIsInterruptedIsRefusedWithExitFifteenAndChangesNothing() throws Exception {
        KeysHome h = KeysHome.prepare(0);
        try {
            UpliftJvm upgrade = UpliftJvm.start(h.work, Map.of("UPLIFT_TEST_HOLD_AT", "1.1/backup:after"),
                    h.withHome("upgrade", "--to", "1.1", "--yes"));
            try {
                assertThat(upgrade.awaitErr("uplift-test-hold 1.1/backup:after", Duration.ofMinutes(2))).as(upgrade.result(-1).toString()).isTrue();
            } finally {
                upgrade.kill();
            }
            assertThat(h.home.resolve(".uplift/journal.json")).exists();
            Map<String, String> before = snapshot(h.home);

            UpliftJvm.Result r = h.run("keys", "rotate", "--yes");
            assertThat(r.exit()).as(r.toString()).isEqualTo(15);
            assertThat(r.err()).contains("An upgrade is under way or was interrupted").contains("uplift resume").contains("uplift rollback");
            assertThat(snapshot(h.home)).isEqualTo(before);
        } finally {
            h.stop();
        }
    }

    @Test
    void aBadGraceIsAUsageErrorNamingTheFlag() throws Exception {
        KeysHome h = KeysHome.prepare(0);
        try {
            Map<String, String> before = snapshot(h.home);
            UpliftJvm.Result r = h.run("keys", "rotate", "--yes", "--grace", "a week");
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("--grace 'a week'").contains("7d");
            assertThat(snapshot(h.home)).isEqualTo(before);
        } finally {
            h.stop();
        }
    }

    private static JsonNode json(UpliftJvm.Result r) throws IOException {
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    /** SHA-256 of every file under the home, but the database server's own folder (it writes on its own) and any given. */
    private static Map<String, String> snapshot(Path home, String... skipped) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = home.relativize(p).toString();
                if (rel.startsWith("db/") || Stream.of(skipped).anyMatch(s -> rel.equals(s) || rel.startsWith(s + "/"))) {
                    continue;
                }
                files.put(rel, NodeLocalFiles.sha256(p).orElse("unreadable"));
            }
        }
        return files;
    }

    /** The shipped Lockbox catalog, copied, with release 1.0 listing no encrypted columns. */
    private static Path catalogWithoutEncryptedColumns() {
        return ShippedCatalog.copy(copy -> {
            Path release = copy.resolve("releases/1.0/release.yaml");
            String yaml = Files.readString(release);
            String edited = yaml.replaceAll("(?m)^encrypted-columns:\\R(\\s+- .*\\R)+", "encrypted-columns: []\n");
            assertThat(edited).isNotEqualTo(yaml);
            Files.writeString(release, edited);
        });
    }
}
