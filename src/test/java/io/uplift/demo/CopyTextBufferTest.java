package io.uplift.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CopyTextBufferTest {
    private static final DateTimeFormatter POSTGRES_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    @Test
    void columnsAreSeparatedByTabsAndRowsEndWithANewline() {
        CopyTextBuffer buffer = new CopyTextBuffer(4);
        buffer.number(1).text("a").nullValue();
        buffer.endRow();
        buffer.number(-25).number(Long.MIN_VALUE).number(0);
        buffer.endRow();

        assertThat(content(buffer)).isEqualTo("1\ta\t\\N\n-25\t-9223372036854775808\t0\n");
    }

    @Test
    void textEscapesBackslashTabNewlineAndCarriageReturnAndEncodesUtf8() {
        CopyTextBuffer buffer = new CopyTextBuffer(4);
        buffer.text("a\\b\tc\nd\re").text("Grüße\t✓");

        assertThat(content(buffer)).isEqualTo("a\\\\b\\tc\\nd\\re\tGrüße\\t✓");
    }

    @Test
    void byteaIsWrittenInEscapedHexFormat() {
        CopyTextBuffer buffer = new CopyTextBuffer(4);
        buffer.bytea(new byte[] {0, 15, (byte) 0xAB, (byte) 0xFF});

        assertThat(content(buffer)).isEqualTo("\\\\x000fabff");
    }

    @Test
    void timestampsMatchJavaTimeInUtcAcrossCenturiesLeapDaysAndBefore1970() {
        SplittableRandom random = new SplittableRandom(1);
        long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli() * 1000;
        long to = Instant.parse("2300-01-01T00:00:00Z").toEpochMilli() * 1000;
        long[] fixed = {0, -1, Instant.parse("2024-02-29T23:59:59.999999Z").toEpochMilli() * 1000 + 999,
            Instant.parse("2000-02-29T12:00:00Z").toEpochMilli() * 1000};
        for (long micros : fixed) {
            assertTimestamp(micros);
        }
        for (int i = 0; i < 100_000; i++) {
            assertTimestamp(random.nextLong(from, to));
        }
    }

    private static void assertTimestamp(long micros) {
        CopyTextBuffer buffer = new CopyTextBuffer(4);
        buffer.timestamp(micros);
        Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        assertThat(content(buffer)).as("%d", micros).isEqualTo(POSTGRES_UTC.format(instant));
    }

    private static String content(CopyTextBuffer buffer) {
        return new String(buffer.array(), 0, buffer.size(), StandardCharsets.UTF_8);
    }
}
