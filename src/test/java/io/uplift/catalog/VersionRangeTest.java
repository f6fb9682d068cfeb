package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionRangeTest {
    private static boolean contains(String range, String version) {
        return VersionRange.parse(range).contains(Version.parse(version));
    }

    @Test
    void starContainsEveryVersion() {
        assertThat(contains("*", "0")).isTrue();
        assertThat(contains("*", "1.0")).isTrue();
        assertThat(contains("*", "99.9.9")).isTrue();
        assertThat(contains(" * ", "3.0")).isTrue();
        assertThat(VersionRange.any().contains(Version.parse("5.10"))).isTrue();
        assertThat(VersionRange.any()).hasToString("*");
    }

    @Test
    void aBareVersionContainsExactlyThatVersion() {
        assertThat(contains("1.0", "1.0")).isTrue();
        assertThat(contains("1.0", "1.0.0")).isTrue();
        assertThat(contains("1.0", "1.0.1")).isFalse();
        assertThat(contains("1.0", "0.9")).isFalse();
        assertThat(contains("1.0", "10")).isFalse();
    }

    @Test
    void atLeastIncludesTheBoundAndComparesNumerically() {
        assertThat(contains(">=1.1", "1.1")).isTrue();
        assertThat(contains(">=1.1", "1.10")).isTrue();
        assertThat(contains(">=1.1", "2.0")).isTrue();
        assertThat(contains(">=1.1", "1.0")).isFalse();
        assertThat(contains(">=1.1", "1.0.9")).isFalse();
    }

    @Test
    void greaterThanExcludesTheBound() {
        assertThat(contains(">1.1", "1.1")).isFalse();
        assertThat(contains(">1.1", "1.1.0")).isFalse();
        assertThat(contains(">1.1", "1.1.1")).isTrue();
        assertThat(contains(">1.1", "1.0")).isFalse();
    }

    @Test
    void lessThanExcludesTheBound() {
        assertThat(contains("<3.0", "2.9.9")).isTrue();
        assertThat(contains("<3.0", "3.0")).isFalse();
        assertThat(contains("<3.0", "3")).isFalse();
        assertThat(contains("<3.0", "10.0")).isFalse();
    }

    @Test
    void atMostIncludesTheBound() {
        assertThat(contains("<=2.1", "2.1")).isTrue();
        assertThat(contains("<=2.1", "2.1.0")).isTrue();
        assertThat(contains("<=2.1", "2.0")).isTrue();
        assertThat(contains("<=2.1", "2.1.1")).isFalse();
        assertThat(contains("<=2.1", "2.10")).isFalse();
    }

    @ParameterizedTest(name = "''>=1.1 <3.0'' contains {0}: {1}")
    @CsvSource({"1.0, false", "1.1, true", "2.0, true", "2.10, true", "2.99.99, true", "3.0, false", "3.1, false"})
    void combinedConditionsMustAllHold(String version, boolean expected) {
        assertThat(contains(">=1.1 <3.0", version)).isEqualTo(expected);
    }

    @Test
    void anOperatorMayBeSeparatedFromItsVersionBySpaces() {
        assertThat(contains(">= 14", "14")).isTrue();
        assertThat(contains(">= 14", "16")).isTrue();
        assertThat(contains(">= 14", "13")).isFalse();
        assertThat(contains(">=  1.1   <  3.0", "2.0")).isTrue();
        assertThat(contains(">=  1.1   <  3.0", "3.0")).isFalse();
        assertThat(contains(">=  1.1   <  3.0", "1.0")).isFalse();
    }

    @Test
    void toStringKeepsTheRangeAsWritten() {
        assertThat(VersionRange.parse(">=1.1 <3.0")).hasToString(">=1.1 <3.0");
        assertThat(VersionRange.parse(">= 14")).hasToString(">= 14");
    }

    @ParameterizedTest
    @ValueSource(strings = {">=1.x", "abc", "=>1.0", ">=1.1 <3.x", "* <2.0", ">=1.1,<3.0", "~1.0"})
    void aBadRangeIsRejectedWithAMessageNamingTheRange(String range) {
        assertThatThrownBy(() -> VersionRange.parse(range))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + range + "'");
    }

    @Test
    void aBadRangeMessageNamesTheBadPartAndWhatAVersionLooksLike() {
        assertThatThrownBy(() -> VersionRange.parse(">=1.1 <3.x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'3.x'")
                .hasMessageContaining("is not a version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyRangeIsRejectedAndTheMessageSuggestsStar(String range) {
        assertThatThrownBy(() -> VersionRange.parse(range))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty")
                .hasMessageContaining("'*'");
    }

    @Test
    void anOperatorWithoutAVersionIsRejected() {
        assertThatThrownBy(() -> VersionRange.parse(">="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'>='");
    }
}
