package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uplift.api.UpliftException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** product.yaml's tokens.component-files: which role's component reads its app token from which node-local file. */
class ComponentFilesCatalogTest {
    private static final String TOKENS = """
            tokens:
              table: app_tokens
              name-column: name
              hash-column: token_hash
              format-column: format
              last-used-column: last_used_at
              formats:
                v1: {prefix: app1_, random-bytes: 16}
                v2: {prefix: app2_, random-bytes: 32, encoding: base64url}
            """;

    @TempDir
    Path tmp;

    private TestCatalog catalog(String tokens) {
        return TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT + tokens)
                .simpleRelease("1.0", "<1.0", false, List.of(), "token-formats: {introduces: v1}")
                .simpleRelease("2.0", ">=1.0", false, List.of(), "token-formats: {introduces: v2, deprecates: [v1]}");
    }

    @Test
    void rolesAndTheirFilesLoad() {
        TokenTable t = catalog(TOKENS + "  component-files: {worker: config/app-token, proxy: config/proxy/token}\n").load().product()
                .tokens().orElseThrow();
        assertThat(t.componentFiles()).isEqualTo(Map.of("worker", "config/app-token", "proxy", "config/proxy/token"));
    }

    @Test
    void withoutTheFieldNoRoleHoldsAToken() {
        assertThat(catalog(TOKENS).load().product().tokens().orElseThrow().componentFiles()).isEmpty();
    }

    @Test
    void aFileOutsideTheHomeIsRefusedNamingTheField() {
        String message = catchThrowableOfType(() -> catalog(TOKENS + "  component-files: {worker: ../other/app-token, proxy: /etc/token}\n")
                .load(), UpliftException.class).getMessage();
        assertThat(message).contains("tokens.component-files.worker: '../other/app-token' must be a path inside the node's home")
                .contains("tokens.component-files.proxy: '/etc/token' must be a path inside the node's home");
    }

    @Test
    void componentTokensNeedTheLastUsedColumnToSeeTheSwitch() {
        String message = catchThrowableOfType(() -> catalog(TOKENS.replace("  last-used-column: last_used_at\n", "")
                + "  component-files: {worker: config/app-token}\n").load(), UpliftException.class).getMessage();
        assertThat(message).contains("tokens.component-files: needs last-used-column");
    }

    @Test
    void pathsInsideTheHome() {
        assertThat(TokenTableReader.insideHome("config/app-token")).isTrue();
        assertThat(TokenTableReader.insideHome("app-token")).isTrue();
        assertThat(TokenTableReader.insideHome("config/../../x")).isFalse();
        assertThat(TokenTableReader.insideHome("./config/x")).isFalse();
        assertThat(TokenTableReader.insideHome("config//x")).isFalse();
        assertThat(TokenTableReader.insideHome("config/")).isFalse();
    }
}
