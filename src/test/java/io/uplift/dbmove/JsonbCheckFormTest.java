package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The check form's stream work on made-up binary COPY streams: the rows passed on are the rows
 * without the appended hashes, the checksum is the one of the rows in check form, wherever the
 * messages are cut; and a row of the wrong width is refused.
 */
class JsonbCheckFormTest {
    // (id int4, doc jsonb, note text, other jsonb): jsonb columns at 1 and 3
    private static final TableInfo TABLE = new TableInfo("public", "t", List.of("\"id\"", "\"doc\"", "\"note\"", "\"other\""), 0, true, null,
            List.of(1, 3));

    /** kind: 0 as the source sends it (hashes appended), 1 as the target gets it, 2 in check form. */
    private static byte[] stream(int rows, int kind) throws IOException {
        return stream(rows, kind, new byte[] {7, 7, 7});
    }

    private static byte[] stream(int rows, int kind, byte[] extension) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0);
        out.writeInt(extension.length);
        out.write(extension);
        for (int i = 0; i < rows; i++) {
            byte[] doc = ("\1{\"n\": " + i + ", \"pad\": \"" + "x".repeat(i % 50) + "\"}").getBytes(StandardCharsets.UTF_8);
            boolean otherNull = i % 3 == 0;
            out.writeShort(kind == 0 ? 6 : 4);
            out.writeInt(4);
            out.writeInt(i);
            field(out, kind == 2 ? hash(i) : doc);
            field(out, i % 5 == 0 ? null : ("note " + i).getBytes(StandardCharsets.UTF_8));
            field(out, kind == 2 ? (otherNull ? null : hash(-i)) : (otherNull ? null : "\1[1]".getBytes(StandardCharsets.UTF_8)));
            if (kind == 0) {
                field(out, hash(i));
                field(out, otherNull ? null : hash(-i));
            }
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    private static byte[] hash(int i) {
        return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    private static void field(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static String figure(byte[] stream) {
        RowChecksum sum = new RowChecksum(true);
        sum.accept(stream);
        return sum.figure();
    }

    @Test
    void rowsArePassedOnWithoutTheirHashesAndCheckedInCheckFormWhereverTheStreamIsCut() throws Exception {
        byte[] sent = stream(300, 0);
        Random random = new Random(42);
        for (int run = 0; run < 50; run++) {
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            RowChecksum check = new RowChecksum(true);
            JsonbCheckForm form = new JsonbCheckForm(TABLE, (b, off, len) -> passed.write(b, off, len), check);
            int p = 0;
            while (p < sent.length) {
                int n = run == 0 ? sent.length : Math.min(sent.length - p, 1 + random.nextInt(run < 25 ? 7 : 400));
                form.accept(Arrays.copyOfRange(sent, p, p + n));
                p += n;
            }
            form.finish();
            assertThat(passed.toByteArray()).as("run " + run).isEqualTo(stream(300, 1));
            assertThat(check.figure()).as("run " + run).isEqualTo(figure(stream(300, 2))).startsWith("300:");
        }
        assertThat(figure(stream(300, 2))).isNotEqualTo(figure(stream(300, 1)));
    }

    /** What the servers send: no header extension. The header then ends where the first row begins, maybe at a message's end. */
    @Test
    void aStreamWithoutAHeaderExtensionIsCheckedTheSameWay() throws Exception {
        byte[] sent = stream(40, 0, new byte[0]);
        for (int cut : new int[] {19, 20, 23, sent.length}) {
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            RowChecksum check = new RowChecksum(true);
            JsonbCheckForm form = new JsonbCheckForm(TABLE, (b, off, len) -> passed.write(b, off, len), check);
            form.accept(Arrays.copyOfRange(sent, 0, cut));
            form.accept(Arrays.copyOfRange(sent, cut, sent.length));
            form.finish();
            assertThat(passed.toByteArray()).as("cut at " + cut).isEqualTo(stream(40, 1, new byte[0]));
            assertThat(check.figure()).as("cut at " + cut).isEqualTo(figure(stream(40, 2, new byte[0]))).startsWith("40:");
        }
    }

    @Test
    void aStreamCutInsideARowOrARowOfAnotherWidthIsRefused() throws Exception {
        byte[] sent = stream(3, 0);
        JsonbCheckForm cut = new JsonbCheckForm(TABLE, (b, off, len) -> { }, new RowChecksum(true));
        cut.accept(Arrays.copyOf(sent, sent.length - 7));
        assertThatThrownBy(cut::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("ended inside a row");

        JsonbCheckForm narrow = new JsonbCheckForm(TABLE, (b, off, len) -> { }, new RowChecksum(true));
        assertThatThrownBy(() -> narrow.accept(stream(3, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a row of 4 fields, expected 6");
    }

    @Test
    void theSelectListsAppendTheHashesOnTheSourceAndReplaceTheValuesForTheCheck() {
        assertThat(JsonbCheckForm.sourceColumns(TABLE)).isEqualTo("\"id\", \"doc\", \"note\", \"other\", jsonb_hash(\"doc\"), jsonb_hash(\"other\")");
        assertThat(JsonbCheckForm.checkColumns(TABLE)).isEqualTo("\"id\", jsonb_hash(\"doc\"), \"note\", jsonb_hash(\"other\")");
        assertThat(JsonbCheckForm.applies(TABLE)).isTrue();
        assertThat(JsonbCheckForm.applies(new TableInfo("public", "t", List.of("\"a\""), 0, true, null))).isFalse();
    }
}
