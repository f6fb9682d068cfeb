package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per version that health reported: the first and last time it was seen, in order of first sight. */
public final class VersionWindows {
    private VersionWindows() {
    }

    public static List<VersionWindow> of(List<Outcome> outcomes) {
        Map<String, VersionWindow> byVersion = new LinkedHashMap<>();
        outcomes.stream()
                .filter(o -> o.operation() == Operation.HEALTH && o.succeeded() && o.version() != null)
                .sorted(Comparator.comparingLong(Outcome::sentAt))
                .forEach(o -> byVersion.merge(o.version(), new VersionWindow(o.version(), o.sentAt(), o.sentAt(), 1),
                        (seen, first) -> seen.seenAgain(o.sentAt())));
        return new ArrayList<>(byVersion.values());
    }
}
