package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an export is data, never commands. db import runs no psql command from its SQL files,
 * builds COPY only from checked names and fixed formats, names the manifest field it cannot use;
 * and the export a move writes is readable by its owner only.
 */
class ExportSafetyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path export;

    @BeforeAll
    static void export() throws Exception {
        export = ExportIT.moveWithExport(ExportFixture.source(), "none");
    }

    @Test
    void issue13_item8_aPsqlShellCommandInPreDataOrPostDataIsNeverRun() throws Exception {
        Path markers = TestPostgres.newTraversableTempDir();
        for (String file : List.of("pre-data.sql", "post-data.sql")) {
            Path copy = copyOf(export);
            Path marker = markers.resolve("pwned-by-" + file);
            String text = Files.readString(copy.resolve(file));
            // pre-data.sql: on a line of its own; post-data.sql: after a statement on the same line
            String changed = file.startsWith("pre") ? "\\! touch " + marker + "\n" + text
                    : text.replaceFirst(";\n", Matcher.quoteReplacement("; \\! touch " + marker + "\n"));
            assertThat(changed).isNotEqualTo(text);
            rewriteWithChecksum(copy, file, changed);
            TestPostgres.Database target = TestPostgres.v16().newDatabase();

            ExportFixture.Cli run = ExportFixture.Cli.run("db", "import", copy.toString(), "--target", ExportFixture.url(target), "--yes");

            assertThat(run.exit()).as(run.toString()).isEqualTo(23);
            assertThat(run.err()).contains(file, "psql command", "touch " + marker, "Nothing was imported");
            assertThat(marker).as("the shell command never ran").doesNotExist();
            assertThat(tables(target)).as("nothing was written").isZero();
        }
    }

    @Test
    void issue13_item8_manifestNamesAndFormatsNeverBecomeSqlAndNothingIsWritten() throws Exception {
        record Case(String expected, Consumer<ObjectNode> edit) {}
        List<Case> cases = List.of(
                new Case("names the table \"public\".\"x; DROP TABLE y\", which pre-data.sql did not create", d -> {
                    d.put("table", "x; DROP TABLE y");
                    d.put("qualified", "x; DROP TABLE y");
                }),
                new Case("data[0].columns[0]", d -> ((com.fasterxml.jackson.databind.node.ArrayNode) d.get("columns"))
                        .set(0, TextNode.valueOf("\"id\") FROM STDIN; DROP TABLE accounts; --\""))),
                new Case("lists the column \"id\"\") FROM STDIN; DROP TABLE accounts; --\"", d -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                        d.get("columns")).set(0, TextNode.valueOf("\"id\"\") FROM STDIN; DROP TABLE accounts; --\""))),
                new Case("data[0].format is \"binary) ; DROP TABLE accounts; --\"", d -> d.put("format", "binary) ; DROP TABLE accounts; --")),
                new Case("data[0].compression is \"gzip\"", d -> d.put("compression", "gzip")));
        for (Case c : cases) {
            Path copy = copyOf(export);
            ObjectNode manifest = (ObjectNode) JSON.readTree(copy.resolve("manifest.json").toFile());
            c.edit().accept((ObjectNode) manifest.get("data").get(0));
            Files.write(copy.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
            TestPostgres.Database target = TestPostgres.v16().newDatabase();

            ExportFixture.Cli run = ExportFixture.Cli.run("db", "import", copy.toString(), "--target", ExportFixture.url(target), "--yes");

            assertThat(run.exit()).as(run.toString()).isEqualTo(23);
            assertThat(run.err()).as(run.toString()).contains("manifest.json", c.expected(), "Nothing was imported");
            assertThat(tables(target)).as("nothing was written: " + c.expected()).isZero();
        }
    }

    @Test
    void issue13_item16_aMissingOrIllTypedManifestFieldIsNamedNotANullPointer() throws Exception {
        record Case(String expected, Consumer<ObjectNode> edit) {}
        List<Case> cases = List.of(
                new Case("data is missing", m -> m.remove("data")),
                new Case("preData is missing", m -> m.remove("preData")),
                new Case("data[0].rows is \"many\", not a whole number", m -> ((ObjectNode) m.get("data").get(0)).put("rows", "many")),
                new Case("sequences[0].isCalled is missing", m -> ((ObjectNode) m.get("sequences").get(0)).remove("isCalled")),
                new Case("data[1].schema is missing", m -> ((ObjectNode) m.get("data").get(1)).putNull("schema")));
        for (Case c : cases) {
            Path copy = copyOf(export);
            ObjectNode manifest = (ObjectNode) JSON.readTree(copy.resolve("manifest.json").toFile());
            c.edit().accept(manifest);
            Files.write(copy.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
            TestPostgres.Database target = TestPostgres.v16().newDatabase();

            ExportFixture.Cli run = ExportFixture.Cli.run("db", "import", copy.toString(), "--target", ExportFixture.url(target), "--yes");

            assertThat(run.exit()).as(run.toString()).isEqualTo(23);
            assertThat(run.err()).as(run.toString()).contains(copy.resolve("manifest.json").toString(), c.expected(), "Nothing was imported")
                    .doesNotContain("NullPointerException");
            assertThat(tables(target)).isZero();
        }
    }

    @Test
    void issue13_item10_anExportAndItsSourceIndexDdlAreReadableByTheirOwnerOnly() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        Path dir = TestPostgres.newTraversableTempDir().resolve("private-export");
        ExportFixture.Cli run = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target", ExportFixture.url(target),
                "--export-dir", dir.toString(), "--compression", "low", "--drop-source-indexes", "--yes");
        assertThat(run.exit()).as(run.toString()).isZero();

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(dir.resolve("source-indexes.sql")).isRegularFile();
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            assertThat(files).extracting(p -> dir.relativize(p).toString())
                    .contains("manifest.json", "pre-data.sql", "post-data.sql", "sequences.sql", "source-indexes.sql",
                            "data/public.events.1-of-1.copy.zst", "data/large-objects.copy.zst");
            for (Path f : files) {
                assertThat(mode(f)).as(dir.relativize(f).toString()).isEqualTo("rw-------");
            }
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Writes {@code text} as {@code file} and puts its new size and SHA-256 in the manifest, as someone who tampers would. */
    private static void rewriteWithChecksum(Path dir, String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        ObjectNode entry = (ObjectNode) manifest.get(file.equals("pre-data.sql") ? "preData" : "postData");
        entry.put("bytes", Files.size(dir.resolve(file)));
        entry.put("sha256", ExportIT.sha256(dir.resolve(file)));
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    }

    static long tables(TestPostgres.Database db) throws Exception {
        try (Connection c = ExportFixture.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'S', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Path copyOf(Path dir) throws IOException {
        Path copy = TestPostgres.newTraversableTempDir().resolve("copy");
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return copy;
    }

}
