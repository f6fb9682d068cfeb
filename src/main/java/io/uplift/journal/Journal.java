package io.uplift.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The journal file of an upgrade in progress (.uplift/journal.json). Every change is written
 * durably before the method returns; the in-memory copy is an immutable snapshot replaced on each
 * write. When the upgrade ends (done or rolled back) the file moves to .uplift/history/.
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final Clock clock;
    private UpgradeJournal current;

    private Journal(Path file, Clock clock, UpgradeJournal current) {
        this.file = file;
        this.clock = clock;
        this.current = current;
    }

    public static Journal create(Path file, Clock clock, UpgradeJournal initial) {
        Journal journal = new Journal(file, clock, initial);
        journal.write(initial);
        return journal;
    }

    public static Optional<Journal> open(Path file, Clock clock) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Journal(file, clock, JSON.readValue(file.toFile(), UpgradeJournal.class)));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The upgrade journal " + file + " cannot be read: "
                    + e.getMessage() + ". It is written atomically, so this means it was edited or the disk is failing;"
                    + " restore the home from the backup named in .uplift/backups.", e);
        }
    }

    public UpgradeJournal get() {
        return current;
    }

    public String now() {
        return clock.instant().toString();
    }

    public void state(RunState state, String message) {
        UpgradeJournal j = current;
        write(j.with(state, j.backupId(), j.databaseRestored(), now(), message, j.facts(), j.steps()));
    }

    public void backupId(String backupId) {
        UpgradeJournal j = current;
        write(j.with(j.state(), backupId, j.databaseRestored(), now(), j.message(), j.facts(), j.steps()));
    }

    public void databaseRestored() {
        databaseRestored(true);
    }

    /** false after a database move is undone: the old server again holds data an earlier restore did not touch. */
    public void databaseRestored(boolean restored) {
        UpgradeJournal j = current;
        write(j.with(j.state(), j.backupId(), restored, now(), j.message(), j.facts(), j.steps()));
    }

    /** Records an observation once; a step run again after a crash keeps the first one. */
    public void factOnce(String key, String value) {
        UpgradeJournal j = current;
        if (j.facts().containsKey(key)) {
            return;
        }
        Map<String, String> facts = new HashMap<>(j.facts());
        facts.put(key, value);
        write(j.with(j.state(), j.backupId(), j.databaseRestored(), now(), j.message(), facts, j.steps()));
    }

    public void step(String stepId, StepStatus status, long millis, String error) {
        UpgradeJournal j = current;
        List<JournalStep> steps = new ArrayList<>();
        for (JournalStep s : j.steps()) {
            if (!s.id().equals(stepId)) {
                steps.add(s);
            } else if (status == StepStatus.STARTED || status == StepStatus.UNDOING) {
                steps.add(s.with(status, now(), null, s.millis(), null));
            } else {
                steps.add(s.with(status, s.startedAt(), now(), millis, error));
            }
        }
        write(j.with(j.state(), j.backupId(), j.databaseRestored(), now(), j.message(), j.facts(), steps));
    }

    /** Moves the finished journal to .uplift/history/ID.json; afterwards no upgrade is in progress. */
    public Path archive() {
        Path history = file.getParent().resolve("history").resolve(current.id() + ".json");
        try {
            Files.createDirectories(history.getParent());
            DurableFiles.write(history, JSON.writeValueAsBytes(current));
            Files.delete(file);
            DurableFiles.forceDirectory(file.getParent());
            return history;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The upgrade finished but its journal could not be archived to "
                    + history + ": " + e.getMessage() + ". Move " + file + " there by hand.", e);
        }
    }

    private void write(UpgradeJournal next) {
        try {
            DurableFiles.write(file, JSON.writeValueAsBytes(next));
            current = next;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Cannot write the upgrade journal " + file + ": " + e.getMessage()
                    + ". Nothing further was changed; free disk space there, then run 'uplift resume'.", e);
        }
    }
}
