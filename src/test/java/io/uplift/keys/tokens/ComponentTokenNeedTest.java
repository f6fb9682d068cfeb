package io.uplift.keys.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.keys.tokens.ComponentTokenNeed.Decision;
import io.uplift.keys.tokens.ComponentTokenNeed.Kind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which node needs a new token for a target version: the catalog's roles, the held format, the target's formats. */
class ComponentTokenNeedTest {
    private static final Map<String, String> FILES = Map.of("worker", "config/app-token", "proxy", "config/app-token");

    @Test
    void aWorkerWithADeprecatedTokenGetsOneOfTheCurrentFormat() {
        Decision d = ComponentTokenNeed.decide("worker", FILES, Optional.of("v1"), Set.of("v1"), Optional.of("v2"));
        assertThat(d.kind()).isEqualTo(Kind.REISSUE);
        assertThat(d.file()).isEqualTo("config/app-token");
        assertThat(d.fromFormat()).isEqualTo("v1");
        assertThat(d.toFormat()).isEqualTo("v2");
    }

    @Test
    void aWebNodeHoldsNoComponentTokenAndIsLeftAlone() {
        assertThat(ComponentTokenNeed.decide("web", FILES, Optional.empty(), Set.of("v1"), Optional.of("v2")).kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void aCurrentTokenIsKept() {
        assertThat(ComponentTokenNeed.decide("proxy", FILES, Optional.of("v2"), Set.of("v1"), Optional.of("v2")).kind()).isEqualTo(Kind.NONE);
        assertThat(ComponentTokenNeed.decide("proxy", FILES, Optional.of("v1"), Set.of(), Optional.of("v1")).kind())
                .as("a plan that deprecates nothing (1.0 -> 1.1)").isEqualTo(Kind.NONE);
    }

    @Test
    void aComponentWithoutAKnownTokenIsReportedNotGuessed() {
        Decision d = ComponentTokenNeed.decide("worker", FILES, Optional.empty(), Set.of("v1"), Optional.of("v2"));
        assertThat(d.kind()).isEqualTo(Kind.CANNOT);
        assertThat(d.reason()).contains("config/app-token").contains("holds no token the database knows");
    }

    @Test
    void noCurrentFormatMeansNothingToIssue() {
        Decision d = ComponentTokenNeed.decide("worker", FILES, Optional.of("v1"), Set.of("v1"), Optional.empty());
        assertThat(d.kind()).isEqualTo(Kind.CANNOT);
        assertThat(d.reason()).contains("names no current format");
    }
}
