package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowChecksumTest {
    /** Rows of (int4, text or NULL, bytea of some length). */
    private static List<Object[]> rows(int n, long seed) {
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = new byte[r.nextInt(300)];
            r.nextBytes(blob);
            rows.add(new Object[] {i, i % 7 == 0 ? null : "row " + i, blob});
        }
        return rows;
    }

    private static byte[] binaryCopy(List<Object[]> rows, int extensionBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0);
        out.writeInt(extensionBytes);
        out.write(new byte[extensionBytes]);
        for (Object[] row : rows) {
            out.writeShort(3);
            out.writeInt(4);
            out.writeInt((Integer) row[0]);
            if (row[1] == null) {
                out.writeInt(-1);
            } else {
                byte[] t = ((String) row[1]).getBytes(StandardCharsets.UTF_8);
                out.writeInt(t.length);
                out.write(t);
            }
            byte[] b = (byte[]) row[2];
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    private static String figure(byte[] stream, boolean binary, Random cuts) {
        RowChecksum c = new RowChecksum(binary);
        int p = 0;
        while (p < stream.length) {
            int n = cuts == null ? stream.length : Math.min(stream.length - p, 1 + cuts.nextInt(7));
            c.accept(Arrays.copyOfRange(stream, p, p + n));
            p += n;
        }
        return c.figure();
    }

    @Test
    void binaryStreamCutAnywhereGivesTheSameFigureAsWhole() throws IOException {
        byte[] stream = binaryCopy(rows(500, 1), 0);
        String whole = figure(stream, true, null);
        assertThat(whole).startsWith("500:");
        for (int seed = 0; seed < 20; seed++) {
            assertThat(figure(stream, true, new Random(seed))).isEqualTo(whole);
        }
    }

    @Test
    void headerExtensionIsSkippedAndRowOrderDoesNotMatter() throws IOException {
        List<Object[]> rows = rows(200, 2);
        String figure = figure(binaryCopy(rows, 0), true, null);
        List<Object[]> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(3));
        assertThat(figure(binaryCopy(shuffled, 13), true, new Random(4))).isEqualTo(figure);
    }

    @Test
    void aChangedByteAMissingRowOrNullInsteadOfEmptyChangeTheFigure() throws IOException {
        List<Object[]> rows = rows(100, 5);
        byte[] stream = binaryCopy(rows, 0);
        String figure = figure(stream, true, null);

        byte[] changed = stream.clone();
        changed[stream.length / 2] ^= 1;
        assertThat(figure(changed, true, null)).isNotEqualTo(figure);

        assertThat(figure(binaryCopy(rows.subList(1, rows.size()), 0), true, null)).startsWith("99:");

        List<Object[]> emptyText = new ArrayList<>(rows);
        emptyText.set(0, new Object[] {0, "", rows.get(0)[2]}); // row 0 has a NULL text
        assertThat(figure(binaryCopy(emptyText, 0), true, null)).isNotEqualTo(figure);
    }

    @Test
    void textRowsAreLines() {
        byte[] a = "1\tone\n2\t\\N\n3\tthree\\nlines\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "3\tthree\\nlines\n1\tone\n2\t\\N\n".getBytes(StandardCharsets.UTF_8);
        String figure = figure(a, false, null);
        assertThat(figure).startsWith("3:");
        assertThat(figure(b, false, new Random(6))).isEqualTo(figure);
        assertThat(figure("1\tone\n2\t\\N\n3\tthree\\nline\n".getBytes(StandardCharsets.UTF_8), false, null)).isNotEqualTo(figure);
    }
}
