package io.uplift.install;

import io.uplift.db.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Fingerprints of the node-local files, and their state against what was recorded. */
public final class NodeLocalFiles {
    public enum State { UNCHANGED, CHANGED, MISSING, NOT_RECORDED }

    public record FileState(String path, State state) {}

    private NodeLocalFiles() {}

    public static Optional<String> sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sha256.hex(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Hashes of the given files as they are now, for recording in the state. */
    public static Map<String, String> fingerprint(Path home, List<String> files) {
        Map<String, String> hashes = new TreeMap<>();
        for (String f : files) {
            sha256(home.resolve(f)).ifPresent(h -> hashes.put(f, h));
        }
        return hashes;
    }

    /** Each declared or recorded node-local file, compared with its recorded hash. */
    public static List<FileState> compare(Path home, List<String> declared, Map<String, String> recorded) {
        LinkedHashSet<String> all = new LinkedHashSet<>(declared);
        all.addAll(new TreeMap<>(recorded).keySet());
        List<FileState> states = new ArrayList<>();
        for (String f : all) {
            Optional<String> now = sha256(home.resolve(f));
            String then = recorded.get(f);
            State state = now.isEmpty() ? State.MISSING
                    : then == null ? State.NOT_RECORDED
                    : then.equals(now.get()) ? State.UNCHANGED : State.CHANGED;
            states.add(new FileState(f, state));
        }
        return states;
    }
}
