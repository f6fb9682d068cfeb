package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** uplift db import, and the load-by-hand recipe of docs/database-move.md, give the source's data on an empty PostgreSQL 16. */
class ImportIT {
    private static TestPostgres.Database source;
    private static Map<String, String> sourceSums;
    private static Path zstdExport;
    private static Path plainExport;

    @BeforeAll
    static void export() throws Exception {
        source = ExportFixture.source();
        sourceSums = ExportFixture.checksums(source);
        zstdExport = ExportIT.moveWithExport(source, "medium");
        plainExport = ExportIT.moveWithExport(source, "none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"medium", "none"})
    void importGivesTheSourcesChecksumsPerTable(String level) throws Exception {
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        ExportFixture.Cli run = ExportFixture.Cli.run("db", "import", (level.equals("none") ? plainExport : zstdExport).toString(),
                "--target", ExportFixture.url(target), "--threads", "3", "--yes");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Imported 32,502 rows");
        assertThat(ExportFixture.checksums(target)).isEqualTo(sourceSums);
        // the triggers and foreign keys of post-data are there too
        try (Connection c = ExportFixture.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_trigger WHERE tgname = 'events_touch'), "
                     + "(SELECT count(*) FROM pg_constraint WHERE contype = 'f')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }

    @Test
    void aCorruptedFileIsRefusedByNameAndNothingIsWritten() throws Exception {
        Path copy = copyOf(zstdExport);
        Path victim = copy.resolve("data/public.events.1-of-1.copy.zst");
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(victim, bytes);
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        ExportFixture.Cli run = ExportFixture.Cli.run("db", "import", copy.toString(), "--target", ExportFixture.url(target), "--yes");
        assertThat(run.exit()).as(run.toString()).isEqualTo(23);
        assertThat(run.err()).contains("data/public.events.1-of-1.copy.zst has SHA-256").contains("Nothing was imported");
        assertThat(tables(target)).isZero();

        Files.delete(copy.resolve("post-data.sql"));
        ExportFixture.Cli missing = ExportFixture.Cli.run("db", "import", copy.toString(), "--target", ExportFixture.url(target), "--yes");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(23);
        assertThat(missing.err()).contains("post-data.sql is missing");
        assertThat(tables(target)).isZero();
    }

    @Test
    void badFlagsAndANonEmptyTargetAreRefused() throws Exception {
        assertThat(ExportFixture.Cli.run("db", "import", zstdExport.toString(), "--yes").exit()).isEqualTo(2);
        assertThat(ExportFixture.Cli.run("db", "import", zstdExport.toString(), "--target", "mysql://x", "--yes").exit()).isEqualTo(2);
        assertThat(ExportFixture.Cli.run("db", "import", zstdExport.toString(), "--target", ExportFixture.url(source), "--threads", "0",
                "--yes").exit()).isEqualTo(2);
        ExportFixture.Cli notEmpty = ExportFixture.Cli.run("db", "import", zstdExport.toString(), "--target", ExportFixture.url(source), "--yes");
        assertThat(notEmpty.exit()).as(notEmpty.toString()).isEqualTo(23);
        assertThat(notEmpty.err()).contains("is not empty");
        ExportFixture.Cli noExport = ExportFixture.Cli.run("db", "import", "/nonexistent-export", "--target", ExportFixture.url(source), "--yes");
        assertThat(noExport.exit()).isEqualTo(23);
        assertThat(noExport.err()).contains("manifest.json");
    }

    /** The recipe of docs/database-move.md, verbatim but for the variables: psql, jq and zstd only. */
    static final String RECIPE = """
            set -euo pipefail
            cd "$EXPORT"
            psql "$PGURL" -X -q -o /dev/null -v ON_ERROR_STOP=1 --single-transaction -f pre-data.sql
            jq -r '.data[] | [.file, .compression, .qualified, (.columns | join(", ")), .format] | @tsv' manifest.json |
            while IFS=$'\\t' read -r file compression table columns format; do
              if [ "$compression" = zstd ]; then decompress="zstd -dc"; else decompress="cat"; fi
              $decompress "$file" | psql "$PGURL" -X -q -v ON_ERROR_STOP=1 -c "\\copy $table ($columns) FROM STDIN WITH (FORMAT $format)"
            done
            lo=$(jq -r '.largeObjects.file.file // empty' manifest.json)
            if [ -n "$lo" ]; then
              psql "$PGURL" -X -q -o /dev/null -v ON_ERROR_STOP=1 <<EOF
            CREATE TEMPORARY TABLE uplift_lo_pieces (loid oid, off bigint, data bytea);
            \\copy pg_temp.uplift_lo_pieces (loid, off, data) FROM PROGRAM 'zstd -dcf $lo' WITH (FORMAT binary)
            SELECT lo_unlink(m.oid) FROM pg_largeobject_metadata m WHERE m.oid IN (SELECT loid FROM uplift_lo_pieces);
            SELECT lo_from_bytea(loid, '') FROM (SELECT DISTINCT loid FROM uplift_lo_pieces) s;
            SELECT lo_put(loid, off, data) FROM uplift_lo_pieces ORDER BY loid, off;
            EOF
            fi
            psql "$PGURL" -X -q -o /dev/null -v ON_ERROR_STOP=1 --single-transaction -f post-data.sql
            psql "$PGURL" -X -q -o /dev/null -v ON_ERROR_STOP=1 -f sequences.sql
            psql "$PGURL" -X -q -c ANALYZE
            """;

    @ParameterizedTest
    @ValueSource(strings = {"medium", "none"})
    void theManualRecipeLoadsTheSameData(String level) throws Exception {
        assumeTrue(onPath("zstd"), "the zstd command is not installed");
        assumeTrue(onPath("jq"), "the jq command is not installed");
        assumeTrue(onPath("psql"), "psql is not on the PATH");
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", RECIPE).redirectErrorStream(true);
        pb.environment().put("EXPORT", (level.equals("none") ? plainExport : zstdExport).toString());
        pb.environment().put("PGURL", ExportFixture.url(target));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(ExportFixture.checksums(target)).isEqualTo(sourceSums);
    }

    static boolean onPath(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "command -v " + command).start();
        return p.waitFor() == 0;
    }

    private static long tables(TestPostgres.Database db) throws Exception {
        try (Connection c = ExportFixture.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'S', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path copyOf(Path dir) throws IOException {
        Path copy = TestPostgres.newTraversableTempDir().resolve("copy");
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }
}
