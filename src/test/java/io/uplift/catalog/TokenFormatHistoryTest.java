package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which token formats are deprecated at an installed version, and which one a re-issue makes. */
class TokenFormatHistoryTest {
    @TempDir
    Path tmp;

    /**
     * 1.0 introduces v1; 2.0 introduces v2 and deprecates v1; 2.5 changes nothing; 3.0 introduces v3
     * and deprecates v2; 4.0 brings v1 back (introduced again) and deprecates v3.
     */
    private TokenFormatHistory history() {
        Catalog catalog = TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of(), "token-formats: {introduces: v1}")
                .simpleRelease("2.0", ">=1.0", false, List.of(), "token-formats: {introduces: v2, deprecates: [v1]}")
                .simpleRelease("2.5", ">=1.0", false, List.of())
                .simpleRelease("3.0", ">=2.0", false, List.of(), "token-formats: {introduces: v3, deprecates: [v2]}")
                .simpleRelease("4.0", ">=3.0", false, List.of(), "token-formats: {introduces: v1, deprecates: [v3]}")
                .load();
        return new TokenFormatHistory(catalog.releases());
    }

    @Test
    void nothingIsDeprecatedBeforeTheFirstReleaseThatDeprecates() {
        assertThat(history().deprecatedAt(Version.parse("1.0"))).isEmpty();
        assertThat(history().currentAt(Version.parse("1.0"))).contains("v1");
    }

    @Test
    void aDeprecationHoldsForEveryLaterVersionUntilTheFormatIsIntroducedAgain() {
        TokenFormatHistory h = history();
        assertThat(h.deprecatedAt(Version.parse("2.0"))).containsExactly("v1");
        assertThat(h.deprecatedAt(Version.parse("2.5"))).as("a release without token-formats changes nothing").containsExactly("v1");
        assertThat(h.deprecatedAt(Version.parse("3.0"))).containsExactly("v1", "v2");
        assertThat(h.deprecatedAt(Version.parse("4.0"))).as("v1 introduced again by 4.0").containsExactly("v2", "v3");
    }

    @Test
    void aReissueMakesTheNewestFormatIntroducedUpToTheInstalledVersion() {
        TokenFormatHistory h = history();
        assertThat(h.currentAt(Version.parse("2.0"))).contains("v2");
        assertThat(h.currentAt(Version.parse("2.5"))).contains("v2");
        assertThat(h.currentAt(Version.parse("3.0"))).as("never a format of a release not installed").contains("v3");
        assertThat(h.currentAt(Version.parse("4.0"))).contains("v1");
    }

    @Test
    void aVersionBetweenReleasesSeesTheReleasesUpToIt() {
        assertThat(history().deprecatedAt(Version.parse("2.7"))).containsExactly("v1");
        assertThat(history().currentAt(Version.parse("0.9"))).isEmpty();
    }

    @Test
    void theShippedLockboxCatalogDeprecatesV1From20On() {
        Catalog lockbox = CatalogLoader.load(Path.of(System.getProperty("uplift.distribution", ".")).resolve("examples/lockbox/catalog"));
        TokenFormatHistory h = new TokenFormatHistory(lockbox.releases());
        assertThat(h.deprecatedAt(Version.parse("1.1"))).isEmpty();
        assertThat(h.currentAt(Version.parse("1.1"))).contains("v1");
        for (String v : List.of("2.0", "2.1", "3.0")) {
            assertThat(h.deprecatedAt(Version.parse(v))).as(v).containsExactly("v1");
            assertThat(h.currentAt(Version.parse(v))).as(v).contains("v2");
        }
        TokenTable t = lockbox.product().tokens().orElseThrow();
        assertThat(t.table()).isEqualTo("app_tokens");
        assertThat(t.hashColumn()).isEqualTo("token_hash");
        assertThat(t.lastUsedColumn()).contains("last_used_at");
        assertThat(t.formats()).containsOnlyKeys("v1", "v2");
        assertThat(t.formats().get("v2")).isEqualTo(new TokenTable.TokenFormat("lbx2_", 32, "base64url"));
    }
}
