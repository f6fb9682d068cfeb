package io.uplift.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LockboxTablesTest {
    /** A stand-in AEAD that is deterministic, so that whole secrets rows can be compared. */
    private static final Aead CONCATENATING_AEAD = new Aead() {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
            byte[] out = Arrays.copyOf(plaintext, plaintext.length + associatedData.length);
            System.arraycopy(associatedData, 0, out, plaintext.length, associatedData.length);
            return out;
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
            return Arrays.copyOf(ciphertext, ciphertext.length - associatedData.length);
        }
    };

    @Test
    void theSameCountAndSeedGiveTheSameBytesInEveryTable() throws Exception {
        assertThat(allTables(20_000, 5)).isEqualTo(allTables(20_000, 5));
    }

    @Test
    void anotherSeedChangesEveryTable() throws Exception {
        Map<String, String> a = allTables(20_000, 5);
        Map<String, String> b = allTables(20_000, 6);

        a.forEach((table, rows) -> assertThat(b.get(table)).as(table).isNotEqualTo(rows));
    }

    @Test
    void rowCountsFollowTheEventCount() throws Exception {
        Map<String, String> tables = allTables(250_000, 1);
        LockboxTables counts = new LockboxTables(250_000, 1);

        assertThat(lines(tables.get("users"))).isEqualTo(250).isEqualTo(counts.userCount());
        assertThat(lines(tables.get("threats"))).isEqualTo(50);
        assertThat(lines(tables.get("secrets"))).isEqualTo(2_500).isEqualTo(counts.secretCount());
        assertThat(lines(tables.get("app_tokens"))).isEqualTo(20);
        assertThat(lines(tables.get("events"))).isEqualTo(250_000);
        assertThat(lines(tables.get("event_threats"))).isEqualTo(counts.eventThreatCount()).isBetween(23_000L, 27_000L);
        assertThat(lines(allTables(100, 1).get("users"))).isEqualTo(10);
        assertThat(lines(allTables(100, 1).get("secrets"))).isEqualTo(20);
        assertThat(lines(allTables(0, 1).get("events"))).isZero();
        assertThat(lines(allTables(0, 1).get("event_threats"))).isZero();
    }

    @Test
    void linkedEventsHaveOneToThreeDistinctThreatsAndAThreatKind() throws Exception {
        Map<String, String> tables = allTables(50_000, 9);
        Map<Long, Set<Long>> threatsByEvent = new LinkedHashMap<>();
        for (String row : tables.get("event_threats").split("\n")) {
            String[] columns = row.split("\t");
            long threat = Long.parseLong(columns[1]);
            assertThat(threat).isBetween(1L, 50L);
            assertThat(threatsByEvent.computeIfAbsent(Long.parseLong(columns[0]), e -> new HashSet<>()).add(threat)).isTrue();
        }
        assertThat(threatsByEvent.values()).allSatisfy(threats -> assertThat(threats).hasSizeBetween(1, 3));
        String[] events = tables.get("events").split("\n");
        threatsByEvent.keySet().forEach(id -> assertThat(events[(int) (id - 1)].split("\t")[3]).isIn("threat.detected", "login.failed"));
        assertThat(Arrays.stream(events).filter(e -> e.split("\t")[3].equals("threat.detected")).count())
                .isLessThanOrEqualTo(threatsByEvent.size());
    }

    @Test
    void rowSourceReportsEveryRowAndReadsTheSameBytesWhateverTheReadSize() throws Exception {
        LockboxTables tables = new LockboxTables(30_000, 3);
        AtomicLong reported = new AtomicLong();
        ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
        try (InputStream in = new RowSource(tables.events(), reported::addAndGet)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                oneByOne.write(b);
            }
        }

        assertThat(reported).hasValue(30_000);
        assertThat(oneByOne.toString(StandardCharsets.UTF_8)).isEqualTo(allTables(30_000, 3).get("events"));
    }

    private static Map<String, String> allTables(long events, long seed) throws Exception {
        LockboxTables tables = new LockboxTables(events, seed);
        Map<String, RowSource.RowWriter> writers = new LinkedHashMap<>();
        writers.put("users", tables.users());
        writers.put("threats", tables.threats());
        writers.put("secrets", tables.secrets(CONCATENATING_AEAD, 7));
        writers.put("app_tokens", tables.appTokens());
        writers.put("events", tables.events());
        writers.put("event_threats", tables.eventThreats());
        Map<String, String> content = new LinkedHashMap<>();
        for (Map.Entry<String, RowSource.RowWriter> writer : writers.entrySet()) {
            try (InputStream in = new RowSource(writer.getValue(), rows -> { })) {
                content.put(writer.getKey(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return content;
    }

    private static long lines(String rows) {
        return rows.isEmpty() ? 0 : rows.split("\n", -1).length - 1;
    }

}
