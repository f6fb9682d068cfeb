package io.uplift.demo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's COPY text format, encoded straight to UTF-8 bytes: columns separated by a
 * tab, rows ended by a newline, NULL written as {@code \N}, and backslash, tab, newline and
 * carriage return escaped with a backslash.
 */
final class CopyTextBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private byte[] bytes;
    private int size;
    private boolean rowStart = true;

    CopyTextBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    void clear() {
        size = 0;
        rowStart = true;
    }

    void endRow() {
        put((byte) '\n');
        rowStart = true;
    }

    CopyTextBuffer nullValue() {
        column();
        put((byte) '\\');
        put((byte) 'N');
        return this;
    }

    CopyTextBuffer number(long value) {
        if (value == Long.MIN_VALUE) {
            return rawAscii(Long.toString(value));
        }
        column();
        if (value < 0) {
            put((byte) '-');
            value = -value;
        }
        int start = size;
        do {
            put((byte) ('0' + value % 10));
            value /= 10;
        } while (value != 0);
        reverse(start, size - 1);
        return this;
    }

    CopyTextBuffer text(String value) {
        column();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // Rare: fall back to the JDK's encoder for the rest of the string.
                escapeUtf8(value.substring(i));
                return this;
            }
            putEscaped((byte) c);
        }
        return this;
    }

    /** A {@code bytea} value in hex format; the leading backslash is escaped for the text format. */
    CopyTextBuffer bytea(byte[] value) {
        column();
        ensure(3 + 2 * value.length);
        bytes[size++] = '\\';
        bytes[size++] = '\\';
        bytes[size++] = 'x';
        for (byte b : value) {
            bytes[size++] = HEX[(b >> 4) & 0xF];
            bytes[size++] = HEX[b & 0xF];
        }
        return this;
    }

    /** A {@code timestamptz} in UTC, {@code 2023-01-31 23:59:59.123456+00}, independent of the session time zone. */
    CopyTextBuffer timestamp(long epochMicros) {
        column();
        long days = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        long micros = Math.floorMod(epochMicros, MICROS_PER_DAY);
        // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        digits(year, 4).put((byte) '-');
        digits(month, 2).put((byte) '-');
        digits(day, 2).put((byte) ' ');
        long seconds = micros / 1_000_000;
        digits(seconds / 3600, 2).put((byte) ':');
        digits(seconds / 60 % 60, 2).put((byte) ':');
        digits(seconds % 60, 2).put((byte) '.');
        digits(micros % 1_000_000, 6);
        put((byte) '+');
        put((byte) '0');
        put((byte) '0');
        return this;
    }

    /** Trusted ASCII without any character that needs escaping (JSON built by the generator, IP addresses). */
    CopyTextBuffer rawAscii(String value) {
        column();
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            bytes[size++] = (byte) value.charAt(i);
        }
        return this;
    }

    private void column() {
        if (!rowStart) {
            put((byte) '\t');
        }
        rowStart = false;
    }

    private CopyTextBuffer digits(long value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
        return this;
    }

    private void escapeUtf8(String value) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            putEscaped(b);
        }
    }

    private void putEscaped(byte b) {
        switch (b) {
            case '\\' -> { put((byte) '\\'); put((byte) '\\'); }
            case '\t' -> { put((byte) '\\'); put((byte) 't'); }
            case '\n' -> { put((byte) '\\'); put((byte) 'n'); }
            case '\r' -> { put((byte) '\\'); put((byte) 'r'); }
            default -> put(b);
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void reverse(int from, int to) {
        while (from < to) {
            byte t = bytes[from];
            bytes[from++] = bytes[to];
            bytes[to--] = t;
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
