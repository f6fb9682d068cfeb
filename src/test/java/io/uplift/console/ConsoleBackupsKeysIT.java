package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.BackupManifest;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeysStatus;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeysetFile;
import io.uplift.keys.KeysetStore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Backups and Keys pages over real HTTP on a demo Lockbox 1.0: a backup taken and verified from the
 * page as console jobs, a damaged backup reported as such, a key rotation run from the page, and refused
 * changes (a bad grace, retiring a key that a value is still under) that flash the reason and change nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBackupsKeysIT {
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);

    private static ConsoleFixture console;
    private static ConsoleClient admin;
    /** The keyset before the page's rotation: its primary is the key the rotation leaves retiring. */
    private static InstallationKeyset beforeRotation;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleFixture.demo(500);
        admin = console.signedIn();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    @Order(1)
    void aBackupTakenFromThePageIsListedAndVerifiesAndADamagedOneDoesNot() throws Exception {
        List<String> before = facade().listBackups().stream().map(BackupManifest::id).toList();
        assertThat(admin.get("/backups").body()).contains(">Take a backup now</button>");

        startJob("/backups/take", Map.of());
        String page = awaitOutcome("/backups", "A backup: ");
        assertThat(page).contains("data-failed=\"false\"").contains("written and verified");
        List<BackupManifest> after = facade().listBackups();
        List<String> added = after.stream().map(BackupManifest::id).filter(id -> !before.contains(id)).toList();
        assertThat(added).hasSize(1);
        String id = added.get(0);
        assertThat(page).contains("id=\"backup-" + id + "\"").contains("<td>lockbox 1.0</td>");

        startJob("/backups/verify", Map.of("id", id));
        String verified = awaitOutcome("/backups", "The verification of backup " + id + ": ");
        assertThat(verified).contains("data-failed=\"false\"").contains("is intact");
        assertThat(row(verified, id)).contains(">intact</span>");

        Path damaged = someCopiedFile(facade().backupDir().resolve(id));
        Files.writeString(damaged, "changed after the backup", java.nio.file.StandardOpenOption.APPEND);
        startJob("/backups/verify", Map.of("id", id));
        String failed = awaitOutcome("/backups", "The verification of backup " + id + " failed: ");
        assertThat(failed).contains("data-failed=\"true\"").contains("does not match its manifest, 1 problem(s): ").contains("Do not restore from it");
        assertThat(row(failed, id)).contains(">FAILED</span>");

        String unknown = admin.post("/backups/verify", Map.of("id", "no-such-backup")).body();
        assertThat(unknown).contains("class=\"notice fail\"").contains("The field &#39;id&#39; names no complete backup");
    }

    @Test
    @Order(2)
    void keysRotatedFromThePageAsAJobChangeTheKeysStatus() throws Exception {
        KeysStatus before = facade().keysStatus();
        beforeRotation = keyset();
        String page = admin.get("/keys").body();
        assertThat(page).contains("id=\"primary-key\">" + before.primaryKeyId() + "<").contains(">Rotate keys</button>");
        assertThat(page).contains("No key is retiring.");

        String badGrace = admin.post("/keys/rotate", Map.of("grace", "soon")).body();
        assertThat(badGrace).contains("class=\"notice fail\"").contains("The field &#39;grace&#39; is refused").contains("is not a duration");
        assertThat(facade().keysStatus()).as("nothing was changed").isEqualTo(before);

        startJob("/keys/rotate", Map.of("grace", ""));
        String done = awaitOutcome("/keys", "A key rotation: ");
        assertThat(done).contains("data-failed=\"false\"");
        KeysStatus after = facade().keysStatus();
        assertThat(after.primaryKeyId()).isNotEqualTo(before.primaryKeyId());
        assertThat(after.rotation()).isEqualTo("none");
        assertThat(done).contains("key " + after.primaryKeyId() + " is primary").contains("id=\"primary-key\">" + after.primaryKeyId() + "<");
        KeysStatus.Key old = after.keys().stream().filter(k -> k.keyId() == before.primaryKeyId()).findFirst().orElseThrow();
        assertThat(old.status()).isEqualTo("retiring");
        assertThat(old.values().values().stream().mapToLong(Long::longValue).sum()).as("every value is under the new key").isZero();
        assertThat(done).contains("id=\"key-" + old.keyId() + "-status\"><span class=\"badge warn\">retiring</span> until <time datetime=\"" + old.retiringUntil() + "\">");
    }

    @Test
    @Order(3)
    void retiringAKeyThatAValueIsStillUnderIsRefusedWithTheFacadesMessageAndChangesNothing() throws Exception {
        KeysStatus before = facade().keysStatus();
        long oldKey = before.keys().stream().filter(k -> k.status().equals("retiring")).findFirst().orElseThrow().keyId();
        assertThat(admin.get("/keys").body()).contains("id=\"retire-due\">No retiring key&#39;s grace has ended yet");
        String notDue = admin.post("/keys/retire", Map.of()).body();
        assertThat(notDue).contains("class=\"notice ok\"").contains("No key is due for retirement").contains("Key " + oldKey + " is retiring until ");
        assertThat(facade().keysStatus()).as("nothing was changed").isEqualTo(before);

        long row = writeASecretUnderKey(oldKey);
        KeysStatus withOldValue = facade().keysStatus();
        Path keyset = KeysetFile.of(console.home());
        String keysetBefore = sha256(keyset);

        String page = admin.post("/keys/retire", Map.of("now", "on")).body();
        assertThat(page).contains("class=\"notice fail\"").contains("Cannot retire: key " + oldKey + " encrypts 1 values of secrets.value (rows "
                + row + ")").contains("Nothing was changed");
        assertThat(facade().keysStatus()).isEqualTo(withOldValue);
        assertThat(sha256(keyset)).as("the keyset file").isEqualTo(keysetBefore);
        assertThat(page).contains("id=\"key-" + oldKey + "-status\"><span class=\"badge warn\">retiring</span>");
    }

    /** POSTs a job's form: the console answers with the way to the Upgrade page, where jobs show their progress. */
    private static void startJob(String path, Map<String, String> form) {
        Map<String, String> withToken = new java.util.LinkedHashMap<>(form);
        withToken.put("csrf", admin.csrf());
        HttpResponse<String> r = admin.postRaw(path, withToken);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/upgrade");
    }

    /** Reloads {@code page} until the job notice says how a job starting with {@code outcome} ended. */
    private static String awaitOutcome(String page, String outcome) throws InterruptedException {
        Instant deadline = Instant.now().plus(JOB_DEADLINE);
        Predicate<String> ended = body -> body.contains("id=\"job-outcome\"") && body.contains(outcome.replace("'", "&#39;"));
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            body = admin.get(page).body();
            if (ended.test(body)) {
                return body;
            }
            Thread.sleep(200); // the pace of the polling, not a synchronisation: the loop ends on what the page shows
        }
        throw new AssertionError("No outcome '" + outcome + "' on " + page + " within " + JOB_DEADLINE + "; last page:\n" + body);
    }

    private static String row(String page, String backupId) {
        int start = page.indexOf("id=\"backup-" + backupId + "\"");
        assertThat(start).as("the row of " + backupId).isPositive();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    private static Path someCopiedFile(Path backup) throws Exception {
        try (Stream<Path> files = Files.walk(backup.resolve("app"))) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    /** What a node still on the old key writes after a rotation: a secret encrypted under the old key, the row saying so. */
    private static long writeASecretUnderKey(long keyId) throws Exception {
        assertThat(beforeRotation).as("the rotation test ran first").isNotNull();
        assertThat(beforeRotation.primaryKeyId()).isEqualTo(keyId);
        try (Connection c = connect()) {
            long id;
            try (PreparedStatement st = c.prepareStatement("SELECT min(id) FROM secrets"); ResultSet rs = st.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            byte[] value = beforeRotation.aead().encrypt("written under the old key".getBytes(StandardCharsets.UTF_8),
                    Long.toString(id).getBytes(StandardCharsets.US_ASCII));
            try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET value = ?, key_id = ? WHERE id = ?")) {
                st.setBytes(1, value);
                st.setLong(2, keyId);
                st.setLong(3, id);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
            return id;
        }
    }

    private static InstallationKeyset keyset() {
        return KeysetStore.of(KeysetFile.of(console.home())).open(KeyEnvironment.system()).keyset();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Uplift facade() {
        return Uplift.configure().home(console.home()).load();
    }

    private static Connection connect() {
        DatabaseSettings s = DatabaseSettings.read(console.home());
        return Jdbc.connect(s.url(), s.user(), s.password());
    }
}
