package io.uplift.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ErrorCode;
import io.uplift.api.JournalView;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The journal as the console and the support bundle show it: the upgrade in progress
 * (.uplift/journal.json), else the last one that ended (the newest file of .uplift/history/). Reads
 * only, without taking the lock, so it works while an upgrade runs: the journal is replaced
 * atomically, so a read sees one version of it whole. Links are never followed.
 */
public final class JournalViews {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JournalViews() {}

    public static Optional<JournalView> read(Path upliftDir) {
        Optional<UpgradeJournal> current = readPlain(upliftDir.resolve("journal.json"));
        if (current.isPresent()) {
            return current.map(j -> view(j, true));
        }
        // Checked after journal.json: an upgrade that ends meanwhile has archived its journal before deleting it.
        return newestIn(upliftDir.resolve("history")).flatMap(JournalViews::readPlain).map(j -> view(j, false));
    }

    /** The history file of the upgrade that ended last, if any: journal ids begin with their UTC start time, so they sort by it. */
    private static Optional<Path> newestIn(Path history) {
        if (!Files.isDirectory(history, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(history)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .max(Comparator.comparing(f -> f.getFileName().toString()));
        } catch (IOException e) {
            throw unreadable(history, e);
        }
    }

    static JournalView view(UpgradeJournal j, boolean inProgress) {
        List<JournalView.Entry> steps = j.steps().stream().map(s -> new JournalView.Entry(s.id(), s.kind(), s.hopFrom() + "->" + s.hopTo(),
                s.status() == null ? "" : s.status().name(), s.startedAt(), s.endedAt(), s.millis(), s.error())).toList();
        return new JournalView(j.id(), j.from(), j.target(), j.state() == null ? "" : j.state().name(), inProgress, j.message(),
                j.backupId(), j.startedAt(), j.updatedAt(), steps);
    }

    private static Optional<UpgradeJournal> readPlain(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // absent, or not a plain file (a link someone planted): never read through it
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(JSON.readValue(in, UpgradeJournal.class));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // archived between the check and the read
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static UpliftException unreadable(Path file, IOException e) {
        return new UpliftException(ErrorCode.INSTALLATION_INVALID, "The upgrade journal " + file + " cannot be read: " + e.getMessage()
                + ". Journals are written atomically, so it was edited or the disk is failing; 'uplift status' tells whether an"
                + " upgrade is in progress.", e);
    }
}
