package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {
    private static Version v(String text) {
        return Version.parse(text);
    }

    @Test
    void versionPartsCompareAsNumbersNotAsText() {
        assertThat(v("9.1.000000")).isLessThan(v("9.1.000001"));
        assertThat(v("9.1.000001")).isLessThan(v("10.0"));
        assertThat(v("9.1.000000")).isLessThan(v("10.0"));
        assertThat(v("5.5")).isLessThan(v("5.7"));
        assertThat(v("5.7")).isLessThan(v("5.10"));
        assertThat(v("5.10")).isGreaterThan(v("5.9"));
        assertThat(v("10.0").compareTo(v("9.1.000001"))).isPositive();
    }

    @Test
    void sortingAListOfVersionsGivesNumericOrder() {
        List<Version> versions = new ArrayList<>(List.of(v("10.0"), v("5.10"), v("9.1.000001"), v("5.7"), v("9.1.000000"), v("5.5")));
        Collections.shuffle(versions, new java.util.Random(7));
        Collections.sort(versions);
        assertThat(versions).extracting(Version::toString)
                .containsExactly("5.5", "5.7", "5.10", "9.1.000000", "9.1.000001", "10.0");
    }

    @Test
    void leadingZerosInAPartDoNotChangeItsValue() {
        assertThat(v("9.1.000001")).isEqualTo(v("9.1.1"));
        assertThat(v("9.1.000000")).isEqualTo(v("9.1"));
    }

    @Test
    void missingPartsCountAsZeroSoTwoPointZeroEqualsTwoPointZeroPointZero() {
        Version short_ = v("2.0");
        Version long_ = v("2.0.0");
        assertThat(short_).isEqualTo(long_);
        assertThat(long_).isEqualTo(short_);
        assertThat(short_.hashCode()).isEqualTo(long_.hashCode());
        assertThat(short_.compareTo(long_)).isZero();
        assertThat(v("2")).isEqualTo(short_).hasSameHashCodeAs(long_);
        assertThat(v("2.0.1")).isNotEqualTo(short_).isGreaterThan(short_);
        assertThat(v("2.0").isNewerThan(v("2.0.0"))).isFalse();
        assertThat(v("2.0").isOlderThan(v("2.0.0"))).isFalse();
    }

    @Test
    void newerAndOlderFollowTheNumericOrder() {
        assertThat(v("5.10").isNewerThan(v("5.7"))).isTrue();
        assertThat(v("5.7").isNewerThan(v("5.10"))).isFalse();
        assertThat(v("5.7").isOlderThan(v("5.10"))).isTrue();
        assertThat(v("5.10").isOlderThan(v("5.7"))).isFalse();
    }

    @Test
    void toStringKeepsTheTextAsWritten() {
        assertThat(v("9.1.000001")).hasToString("9.1.000001");
        assertThat(v("2.0.0")).hasToString("2.0.0");
        assertThat(v("2.0")).hasToString("2.0");
        assertThat(v("5.10")).hasToString("5.10");
    }

    @Test
    void majorIsTheFirstNumber() {
        assertThat(v("16.4").major()).isEqualTo(16);
        assertThat(v("10").major()).isEqualTo(10);
    }

    @Test
    void versionIsNotEqualToOtherTypes() {
        assertThat(v("1.0")).isNotEqualTo("1.0");
        assertThat(v("1.0").equals(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.x", "", "1..2", "-1", "1.", ".1", "v1.0", "1.0-beta", "1,0", " "})
    void badSyntaxIsRejectedWithAMessageNamingTheText(String text) {
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a version");
    }

    @Test
    void nullIsRejectedAsNotAVersion() {
        assertThatThrownBy(() -> Version.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a version");
    }
}
