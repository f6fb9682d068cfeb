package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The windows of availability, computed from outcomes alone (no clock, no I/O), so synthetic
 * timelines test them. Every instant is an outcome's {@code sentAt}, clamped to the run.
 *
 * <p>For one kind of request (reads or writes) the run is cut at each successful request; the pieces
 * are the gaps. The longest gap is "the longest window with no successful read/write"; the gaps that
 * hold at least one failed or refused request are the outages (their total is "time with reads
 * failing"); for writes, the longest such gap is the write freeze.
 */
public final class Timeline {
    private final List<Outcome> outcomes;
    private final long runStart;
    private final long runEnd;

    public Timeline(List<Outcome> outcomes, long runStart, long runEnd) {
        if (runEnd < runStart) {
            throw new IllegalArgumentException("run ends at " + runEnd + " before it starts at " + runStart);
        }
        this.outcomes = outcomes.stream()
                .filter(Outcome::wasSent)
                .sorted(Comparator.comparingLong(Outcome::sentAt))
                .toList();
        this.runStart = runStart;
        this.runEnd = runEnd;
    }

    public long runStart() {
        return runStart;
    }

    public long runEnd() {
        return runEnd;
    }

    public List<OutageGap> readGaps() {
        return gaps(o -> o.operation().isRead());
    }

    public List<OutageGap> writeGaps() {
        return gaps(o -> o.operation().isWrite());
    }

    public Window longestWithoutSuccessfulRead() {
        return longest(readGaps()).window();
    }

    public Window longestWithoutSuccessfulWrite() {
        return longest(writeGaps()).window();
    }

    /** The read gaps in which some read failed or was refused, in time order. */
    public List<OutageGap> readOutages() {
        return readGaps().stream().filter(OutageGap::hasUnsuccessful).toList();
    }

    public long millisWithReadsFailing() {
        return readOutages().stream().mapToLong(g -> g.window().millis()).sum();
    }

    /** The longest stretch between two successful writes in which writes were refused or failed;
     *  empty when no write was refused or failed. */
    public Optional<OutageGap> writeFreeze() {
        return writeGaps().stream()
                .filter(OutageGap::hasUnsuccessful)
                .max(Comparator.comparingLong(g -> g.window().millis()));
    }

    private static OutageGap longest(List<OutageGap> gaps) {
        // There is always at least one gap (the whole run when nothing succeeded); the first of equal
        // ones wins so the answer does not depend on the sort's stability.
        OutageGap best = gaps.get(0);
        for (OutageGap gap : gaps) {
            if (gap.window().millis() > best.window().millis()) {
                best = gap;
            }
        }
        return best;
    }

    private List<OutageGap> gaps(Predicate<Outcome> ofKind) {
        List<OutageGap> gaps = new ArrayList<>();
        long gapStart = runStart;
        List<Outcome> unsuccessful = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (!ofKind.test(outcome)) {
                continue;
            }
            long at = clamp(outcome.sentAt());
            if (outcome.succeeded()) {
                gaps.add(new OutageGap(new Window(gapStart, at), unsuccessful));
                gapStart = at;
                unsuccessful = new ArrayList<>();
            } else {
                unsuccessful.add(outcome);
            }
        }
        gaps.add(new OutageGap(new Window(gapStart, runEnd), unsuccessful));
        return gaps;
    }

    private long clamp(long at) {
        return Math.max(runStart, Math.min(runEnd, at));
    }
}
