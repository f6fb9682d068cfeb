package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.NodeInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLinesTest {
    private static final NodeInfo NODE = new NodeInfo("node-3fa91c07", "app-1", "web", "3.0", "3f1c0b9e27aa" + "0".repeat(52), "lockbox",
            "/srv/lockbox", 7260, "2026-11-23T07:24:51Z", "2026-11-23T08:00:03Z");

    private static String print(java.util.function.Consumer<PrintWriter> lines) {
        StringWriter out = new StringWriter();
        lines.accept(new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void agesReadAsSecondsMinutesHoursOrDays() {
        assertThat(NodeLines.age(5)).isEqualTo("5 s ago");
        assertThat(NodeLines.age(600)).isEqualTo("10 min ago");
        assertThat(NodeLines.age(7260)).isEqualTo("2 h ago");
        assertThat(NodeLines.age(3 * 86400)).isEqualTo("3 d ago");
    }

    @Test
    void theTableShowsTheShortFingerprintOnly() {
        String table = print(out -> NodeLines.table(List.of(NODE), out));
        assertThat(table).contains("node-3fa91c07").contains("3f1c0b9e27aa").doesNotContain("3f1c0b9e27aa0").contains("2 h ago");
    }

    @Test
    void statusSaysWhetherNodesCouldBeReadAndHowMany() {
        assertThat(print(out -> NodeLines.status(null, out))).contains("not read");
        assertThat(print(out -> NodeLines.status(List.of(), out))).contains("none registered");
        assertThat(print(out -> NodeLines.status(List.of(NODE), out))).contains("1 registered").contains("node-3fa91c07  web on app-1, version 3.0");
    }
}
