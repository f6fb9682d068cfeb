package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** product.yaml's 'tokens:' declaration and the releases' token-formats, validated with file and line. */
class TokenCatalogTest {
    private static final String TOKENS = """
            tokens:
              table: app_tokens
              name-column: name
              description-column: description
              scope-column: scope
              hash-column: token_hash
              format-column: format
              last-used-column: last_used_at
              formats:
                v1: {prefix: app1_, random-bytes: 16}
                v2: {prefix: app2_, random-bytes: 32, encoding: base64url}
            """;

    @TempDir
    Path tmp;

    private TestCatalog catalog(String tokens, String release20TokenFormats) {
        return TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT + tokens)
                .simpleRelease("1.0", "<1.0", false, List.of(), "token-formats: {introduces: v1}")
                .simpleRelease("2.0", ">=1.0", false, List.of(), release20TokenFormats);
    }

    private static String problemsOf(TestCatalog catalog) {
        UpliftException e = catchThrowableOfType(catalog::load, UpliftException.class);
        assertThat(e).as("loading must fail").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
        assertThat(ErrorCode.CATALOG_INVALID.exitCode()).isEqualTo(10);
        return e.getMessage();
    }

    /** The 1-based line of the first line of product.yaml that starts with {@code text} (after spaces). */
    private static int lineOf(String yaml, String text) {
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + yaml);
    }

    @Test
    void aCompleteDeclarationLoads() {
        TokenTable t = catalog(TOKENS, "token-formats: {introduces: v2, deprecates: [v1]}").load().product().tokens().orElseThrow();
        assertThat(t.nameColumn()).isEqualTo("name");
        assertThat(t.createdColumn()).as("optional, not declared").isEmpty();
        assertThat(t.hash()).isEqualTo("sha256-hex");
        assertThat(t.formats().get("v1")).isEqualTo(new TokenTable.TokenFormat("app1_", 16, "hex"));
        assertThat(t.declaredAt()).isEqualTo("product.yaml:" + lineOf(TestCatalog.LOCKBOX_PRODUCT + TOKENS, "table:"));
    }

    @Test
    void aProductWithoutTokensHasNone() {
        Catalog c = catalog("", "token-formats: {introduces: v2, deprecates: [v1]}").load();
        assertThat(c.product().tokens()).isEmpty();
    }

    @Test
    void aMissingRequiredColumnIsReportedWithFileLineAndField() {
        String tokens = TOKENS.replace("  hash-column: token_hash\n", "");
        TestCatalog c = catalog(tokens, "token-formats: {introduces: v2, deprecates: [v1]}");
        String message = problemsOf(c);
        int tokensMappingLine = lineOf(TestCatalog.LOCKBOX_PRODUCT + tokens, "table:");
        assertThat(message).contains(c.file("product.yaml") + ":" + tokensMappingLine + ": tokens.hash-column: is missing; this field is required");
    }

    @Test
    void badColumnsFormatsAndHashesAreEachReported() {
        String product = TestCatalog.LOCKBOX_PRODUCT + TOKENS.replace("scope-column: scope", "scope-column: \"scope; DROP TABLE x\"")
                .replace("description-column: description", "description-column: name")
                .replace("v1: {prefix: app1_, random-bytes: 16}", "v1: {prefix: app1_, random-bytes: 8}")
                .replace("format-column: format", "format-column: format\n  hash: md5");
        TestCatalog c = catalog(product.substring(TestCatalog.LOCKBOX_PRODUCT.length()), "token-formats: {introduces: v2, deprecates: [v1]}");
        String message = problemsOf(c);
        String file = c.file("product.yaml").toString();
        assertThat(message).contains(file + ":" + lineOf(product, "scope-column:") + ": tokens.scope-column: '")
                .contains(file + ":" + lineOf(product, "description-column:") + ": tokens.description-column: names the column 'name'")
                .contains(file + ":" + lineOf(product, "v1:") + ": tokens.formats.v1.random-bytes: 8 is outside 16..256")
                .contains(file + ":" + lineOf(product, "hash:") + ": tokens.hash: 'md5' is not a hash Uplift makes");
    }

    @Test
    void aReleaseNamingAnUndeclaredFormatIsReportedAtItsLine() {
        TestCatalog c = catalog(TOKENS, "token-formats:\n  introduces: v3\n  deprecates: [v1]");
        String message = problemsOf(c);
        assertThat(message).contains(c.file("releases/2.0/release.yaml") + ":9: token-formats.introduces: the token format 'v3' is not declared")
                .contains("(declared: v1, v2)");
    }

    @Test
    void deprecatingWithoutACurrentFormatIsRefused() {
        TestCatalog c = catalog(TOKENS, "token-formats:\n  deprecates: [v1]");
        String message = problemsOf(c);
        assertThat(message).contains(c.file("releases/2.0/release.yaml") + ":9: token-formats: deprecates v1 but no release up to 2.0 introduces");
    }

    @Test
    void introducingAndDeprecatingTheSameFormatIsRefused() {
        TestCatalog c = catalog(TOKENS, "token-formats: {introduces: v2, deprecates: [v1, v2]}");
        assertThat(problemsOf(c)).contains("token-formats.deprecates: 'v2' is introduced and deprecated by the same release");
    }

    @Test
    void undeclaredFormatsPassWhenTheProductDeclaresNoTokens() {
        assertThat(catalog("", "token-formats: {introduces: v9, deprecates: [v1]}").load().release(Version.parse("2.0")).orElseThrow()
                .tokenFormats().introduces()).contains("v9");
    }
}
