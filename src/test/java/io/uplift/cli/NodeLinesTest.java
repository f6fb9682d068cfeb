package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.NodeInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLinesTest {
    private static final NodeInfo NODE = new NodeInfo("node-3fa91c07", "app-1", "web", "3.0", "3f1c0b9e27aa" + "0".repeat(52), "lockbox",
            "/srv/lockbox", 7260, "2026-11-23T07:24:51Z", "2026-11-23T08:00:03Z", NodeInfo.SILENT,
            "start it, or: uplift nodes forget node-3fa91c07 --home /srv/lockbox (if it is gone)");
    private static final NodeInfo ALIVE = new NodeInfo("node-77aa0011", "app-2", "web", "3.0", null, "lockbox", "/srv/lockbox-2", 4,
            "2026-11-23T07:24:51Z", "2026-11-23T08:00:03Z", NodeInfo.ALIVE, null);

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
    void theTableShowsEachNodesStatusAndTheFixOfOnlyThoseThatNeedOne() {
        String printed = print(out -> {
            NodeLines.table(List.of(NODE, ALIVE), out);
            NodeLines.fixes(List.of(NODE, ALIVE), out);
        });
        assertThat(printed).containsPattern("node-3fa91c07 .* silent ").containsPattern("node-77aa0011 .* alive ")
                .contains("To fix:\n  node-3fa91c07 (silent, version 3.0): start it, or: uplift nodes forget node-3fa91c07")
                .doesNotContain("node-77aa0011 (alive");
        assertThat(print(out -> NodeLines.fixes(List.of(ALIVE), out))).isEmpty();
    }

    @Test
    void statusSaysWhetherNodesCouldBeReadAndHowMany() {
        assertThat(print(out -> NodeLines.status(null, out))).contains("not read");
        assertThat(print(out -> NodeLines.status(List.of(), out))).contains("none registered");
        assertThat(print(out -> NodeLines.status(List.of(NODE), out))).contains("1 registered")
                .contains("node-3fa91c07  web on app-1, version 3.0, heartbeat 2 h ago (silent)");
        assertThat(print(out -> NodeLines.status(List.of(ALIVE), out))).contains("heartbeat 4 s ago\n");
    }
}
