package io.uplift.keys;

import io.uplift.testsupport.UpliftJvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, rotation acceptance: 'uplift keys rotate --yes' in its own JVM over 1,000,000 encrypted
 * rows (-Duplift.test.rotationRows=N for another count), killed with SIGKILL at 10 random instants
 * (seeded; the seed is printed, rerun with -Duplift.test.seed=N) and run again each time, ends with
 * every value under the new primary key, decrypting to exactly what it was (SHA-256 of the
 * plaintexts in id order, before and after), no row lost. A reader thread decrypts random rows all
 * along, reloading the keyset file when it meets a key it does not know yet: it must never fail.
 */
class KeyRotationKillIT {
    private static final int KILLS = 10;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern DONE = Pattern.compile("Rotation done in ([0-9.]+) s: key \\d+ is primary; ([0-9,]+) values re-encrypted");

    @Test
    void aRotationKilledTenTimesAndRunAgainEachTimeEndsWithEveryValueUnderTheNewKeyAndUnchanged() throws Exception {
        long rows = Long.getLong("uplift.test.rotationRows", 1_000_000);
        long seed = Long.getLong("uplift.test.seed", System.nanoTime());
        System.out.println("[KeyRotationKillIT] seed " + seed + " (rerun with -Duplift.test.seed=" + seed + "), rows " + rows);
        Random random = new Random(seed);
        KeysHome h = KeysHome.prepare(rows);
        Reader reader = null;
        try {
            InstallationKeyset original = h.keyset();
            long total = h.count("SELECT count(*) FROM secrets");
            SecretRows.Checksum before = h.checksum(original);
            assertThat(before.rows()).isEqualTo(total).isEqualTo(rows + 20);

            reader = new Reader(h, seed);
            reader.start();
            List<String> log = new ArrayList<>();
            int kills = 0;
            int finishedRuns = 0;
            // A first guess, raised to the fastest rate seen (finished runs, long kills): too slow a guess makes runs
            // finish before their kill, too fast one only puts the kill earlier in what is left.
            double valuesPerMs = 100;
            long start = System.nanoTime();
            while (kills < KILLS) {
                long staleBefore = stale(h);
                UpliftJvm child = UpliftJvm.start(h.work, Map.of(), h.withHome("keys", "rotate", "--yes"));
                // Every other kill falls anywhere in the first seconds of a run (start-up, counting, the keyset write),
                // the others at a random point of what is left of the re-encryption (or just after: the verification).
                boolean inRows = kills % 2 == 1;
                long delay = inRows ? (long) (random.nextDouble() * 1.1 * staleBefore / valuesPerMs) : 300 + random.nextInt(2_700);
                if (inRows && !child.awaitErr("Re-encrypting", RUN_TIMEOUT)) {
                    inRows = false;
                    delay = 0;
                }
                if (child.exitsWithin(Duration.ofMillis(delay))) {
                    UpliftJvm.Result r = child.awaitExit(RUN_TIMEOUT);
                    assertThat(r.exit()).as("a run that was not killed, after " + log + "\n" + r).isZero();
                    finishedRuns++;
                    Matcher m = DONE.matcher(r.out());
                    if (m.find() && Long.parseLong(m.group(2).replace(",", "")) > 10_000) {
                        valuesPerMs = Math.max(valuesPerMs, Long.parseLong(m.group(2).replace(",", "")) / (Double.parseDouble(m.group(1)) * 1000));
                    }
                    log.add("finished before " + (inRows ? "re-encryption + " : "") + delay + " ms: " + r.out().lines()
                            .filter(l -> l.startsWith("Rotation done")).findFirst().orElse(""));
                    continue;
                }
                String progress = lastProgress(child.result(-1).err());
                long age = child.age().toMillis();
                child.kill();
                kills++;
                long done = staleBefore - stale(h);
                if (inRows && done > 10_000 && delay > 2_000) {
                    valuesPerMs = Math.max(valuesPerMs, (double) done / delay);
                }
                int keys = KeysetEntries.of(h.keyset()).size();
                log.add("killed at " + age + " ms" + (inRows ? " (re-encryption + " + delay + " ms)" : "") + " at '" + progress + "', keyset of "
                        + keys + " keys, " + h.count("SELECT count(*) FROM secrets WHERE key_id = " + h.keyset().primaryKeyId())
                        + " values under the primary");
                assertThat(h.count("SELECT count(*) FROM secrets")).as("no row lost or added; " + log).isEqualTo(total);
                assertThat(keys).as("a killed rotation goes on with its key, never adds another; " + log).isLessThanOrEqualTo(2 + finishedRuns);
                assertThat(h.count("SELECT count(*) FROM secrets WHERE key_id NOT IN ("
                        + String.join(",", KeysetEntries.of(h.keyset()).stream().map(e -> Long.toString(e.keyId())).toList()) + ")"))
                        .as("every value is under a key of the keyset file; " + log).isZero();
            }
            UpliftJvm.Result last = UpliftJvm.start(h.work, Map.of(), h.withHome("keys", "rotate", "--yes")).awaitExit(RUN_TIMEOUT);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            reader.stopAndJoin();
            log.forEach(l -> System.out.println("[KeyRotationKillIT] " + l));
            last.out().lines().forEach(l -> System.out.println("[KeyRotationKillIT] last run: " + l));
            System.out.printf("[KeyRotationKillIT] %d kills and the last run in %d s; reader: %s%n", kills, seconds, reader);

            assertThat(last.exit()).as(last.toString()).isZero();
            assertThat(last.out()).contains("Rotation done");
            InstallationKeyset end = h.keyset();
            assertThat(end.primaryKeyId()).isNotEqualTo(original.primaryKeyId());
            assertEveryValueUnderPrimary(h, end.primaryKeyId());
            SecretRows.Checksum after = h.checksum(end);
            assertThat(after).as("same rows, same plaintexts").isEqualTo(before);
            RotationState state = RotationState.read(h.home);
            assertThat(state.inProgress()).isEmpty();
            assertThat(state.retiring(original.primaryKeyId())).as("the original key is retiring").isPresent();

            assertThat(reader.failures.get()).as("reader failures: " + reader).isZero();
            assertThat(reader.reads.get()).as("the reader read all along").isGreaterThan(1_000);
            assertThat(reader.readsUnder.getOrDefault(original.primaryKeyId(), 0L)).as("reads under the old key").isPositive();
            assertThat(reader.readsUnder.keySet()).as("reads under a new key").anyMatch(k -> k != original.primaryKeyId());
        } finally {
            if (reader != null) {
                reader.stopAndJoin();
            }
            h.stop();
        }
    }

    /** Values the next run has to re-encrypt: those not under the new key of a rotation under way, else all. */
    private static long stale(KeysHome h) throws SQLException {
        long primary = h.keyset().primaryKeyId();
        boolean underWay = RotationState.read(h.home).inProgress().filter(r -> r.newPrimaryKeyId() == primary).isPresent();
        return underWay ? h.count("SELECT count(*) FROM secrets WHERE key_id <> " + primary) : h.count("SELECT count(*) FROM secrets");
    }

    /** Key-id column and ciphertext prefix name the primary, for every row (the decryption is the checksum's). */
    private static void assertEveryValueUnderPrimary(KeysHome h, long primary) throws SQLException {
        assertThat(h.count("SELECT count(*) FROM secrets WHERE key_id IS DISTINCT FROM " + primary)).isZero();
        long checked = 0;
        try (Connection conn = h.connect()) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery("SELECT id, value FROM secrets")) {
                    while (rs.next()) {
                        OptionalLong prefix = CiphertextKeyId.of(rs.getBytes(2));
                        if (prefix.isEmpty() || prefix.getAsLong() != primary) {
                            throw new AssertionError("row " + rs.getLong(1) + " is encrypted with key " + prefix);
                        }
                        checked++;
                    }
                }
            }
            conn.rollback();
        }
        assertThat(checked).isEqualTo(h.bulkRows + 20);
    }

    private static String lastProgress(String err) {
        String[] lines = err.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].replaceAll("\\s+", " ").strip();
    }

    /**
     * The product reading while the rotation runs: random bulk rows, decrypted with the keyset as it
     * last loaded it, reloaded from the file when a value names a key it lacks, as a product does.
     */
    private static final class Reader extends Thread {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong reloads = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final Map<Long, Long> readsUnder = new ConcurrentHashMap<>();
        final List<String> failed = new ArrayList<>();
        private final KeysHome h;
        private final SplittableRandom random;
        private final AtomicBoolean stop = new AtomicBoolean();

        Reader(KeysHome h, long seed) {
            super("rotation-reader");
            setDaemon(true);
            this.h = h;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            InstallationKeyset keyset = h.keyset();
            try (Connection conn = h.connect(); PreparedStatement st = conn.prepareStatement("SELECT key_id, value FROM secrets WHERE id = ?")) {
                while (!stop.get()) {
                    long id = KeysHome.FIRST_BULK_ID + random.nextLong(h.bulkRows);
                    st.setLong(1, id);
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            fail("row " + id + " is missing");
                            continue;
                        }
                        long keyId = rs.getLong(1);
                        byte[] value = rs.getBytes(2);
                        byte[] plain;
                        try {
                            plain = keyset.aead().decrypt(value, SecretRows.associatedData(id));
                        } catch (GeneralSecurityException first) {
                            keyset = h.keyset();
                            reloads.incrementAndGet();
                            try {
                                plain = keyset.aead().decrypt(value, SecretRows.associatedData(id));
                            } catch (GeneralSecurityException again) {
                                fail("row " + id + " under key " + keyId + " does not decrypt with the keyset file: " + again);
                                continue;
                            }
                        }
                        if (!new String(plain, StandardCharsets.UTF_8).equals(SecretRows.plaintext(id))) {
                            fail("row " + id + " decrypts to something else");
                        }
                        reads.incrementAndGet();
                        readsUnder.merge(keyId, 1L, Long::sum);
                    }
                    Thread.sleep(2);
                }
            } catch (SQLException | RuntimeException e) {
                fail("the reader stopped: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private synchronized void fail(String what) {
            failures.incrementAndGet();
            if (failed.size() < 10) {
                failed.add(what);
            }
        }

        void stopAndJoin() throws InterruptedException {
            stop.set(true);
            join(30_000);
        }

        @Override
        public synchronized String toString() {
            return reads + " reads (" + readsUnder + " by key id), " + reloads + " keyset reloads, " + failures + " failures " + failed;
        }
    }
}
