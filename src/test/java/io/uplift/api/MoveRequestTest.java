package io.uplift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoveRequestTest {
    private static final Database SOURCE = new Database("--source", "postgresql://app@db1/app", "", "postgresql://app@db1:5432/app");
    private static final Database TARGET = new Database("--target", "postgresql://app@db2/app", "s3cret", "postgresql://app@db2:5432/app");

    private static MoveRequest.Builder move() {
        return MoveRequest.builder().source(SOURCE).target(TARGET);
    }

    @Test
    void aPlainMoveValidatesAndCompressesAnExportAtMediumByDefault() {
        MoveRequest r = move().build();
        assertThat(r.validate()).isTrue();
        assertThat(r.compression()).isEqualTo(MoveRequest.Compression.MEDIUM);
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.indexesToDrop()).isEmpty();
    }

    @Test
    void filtersNameTheirTableWithItsSchema() {
        assertThat(move().filters(List.of("events=id > 1", "audit.log = at > now()")).build().filters())
                .isEqualTo(Map.of("public.events", "id > 1", "audit.log", "at > now()"));
    }

    @Test
    void eachBadValueIsRefusedNamingItsOption() {
        assertThatThrownBy(() -> move().threads(0)).hasMessageContaining("--threads 0");
        assertThatThrownBy(() -> move().threads(65)).hasMessageContaining("--threads 65");
        assertThatThrownBy(() -> move().filters(List.of("=x"))).hasMessageContaining("--filter =x must be TABLE=SQL-PREDICATE");
        assertThatThrownBy(() -> move().newServer(16, null)).hasMessageContaining("--target-dir");
        assertThatThrownBy(() -> MoveRequest.builder().target(TARGET).build()).hasMessageContaining("--source");
        assertThatThrownBy(() -> move().newServer(16, Path.of("/tmp/x")).build()).hasMessageContaining("exactly one of --target URL and"
                + " --target-version");
        assertThatThrownBy(() -> move().compression(MoveRequest.Compression.LOW).build()).hasMessageContaining("--export-dir");
        assertThatThrownBy(() -> move().validateOnly(true).exportDir(Path.of("/tmp/e")).build()).hasMessageContaining("--validate only");
        assertThatThrownBy(() -> move().deleteSource(true).validate(false).build()).hasMessageContaining("--skip-validation");
        assertThatThrownBy(() -> move().deleteSource(true).onlyThreatEvents(true).build()).hasMessageContaining("--only-threat-events");
        assertThatThrownBy(() -> move().onlyThreatEvents(true).filters(List.of("a=b")).build()).hasMessageContaining("not both");
    }

    @Test
    void refusalsAreUsageErrors() {
        assertThatThrownBy(() -> move().threads(0)).isInstanceOfSatisfying(UpliftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
    }

    @Test
    void theConfirmedIndexesGoOnlyWithDropSourceIndexes() {
        SourceIndexesToDrop none = new SourceIndexesToDrop(List.of(), 3, Path.of("/tmp/source-indexes.sql"));
        assertThatThrownBy(() -> move().build().withIndexesToDrop(none)).hasMessageContaining("--drop-source-indexes");
        MoveRequest r = move().dropSourceIndexes(true).threads(4).build().withIndexesToDrop(none);
        assertThat(r.indexesToDrop()).contains(none);
        assertThat(r.threads()).isEqualTo(4);
    }

    @Test
    void aDatabaseNeverShowsItsPassword() {
        assertThat(TARGET.toString()).doesNotContain("s3cret");
        assertThat(List.of(TARGET).toString()).doesNotContain("s3cret");
    }

    @Test
    void threadPresetsFollowTheCores() {
        assertThat(ThreadCount.parse("reliable", 8)).isEqualTo(1);
        assertThat(ThreadCount.parse("Recommended", 8)).isEqualTo(4);
        assertThat(ThreadCount.parse("performant", 8)).isEqualTo(8);
        assertThat(ThreadCount.parse("recommended", 1)).isEqualTo(1);
        assertThat(ThreadCount.parse("64", 2)).isEqualTo(64);
    }
}
