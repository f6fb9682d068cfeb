package io.uplift.keys;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Uplift remembers of key rotations, in {@code .uplift/key-rotation.json} (not in .uplift/keys/, which the upgrade clears when it ends) (written durably):
 * the rotation under way, if any, and the old keys in their grace period.
 *
 * <p>States of a rotation: none; <em>started</em> ({@code rotation} names the new primary, written
 * before the keyset, so a killed run resumes with that key instead of adding another); re-encrypted
 * and verified ({@code rotation} cleared, the old keys listed in {@code retiring} with the end of
 * their grace); retired ({@code keys retire} disabled them in the keyset and dropped them here).
 *
 * @param rotation the unfinished rotation, or null
 * @param retiring old keys that still decrypt until {@code until}, when {@code keys retire} may disable them
 */
public record RotationState(Rotation rotation, List<Retiring> retiring) {
    public static final String FILE = ".uplift/key-rotation.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param grace            ISO-8601 duration of the old keys' grace once the rotation is verified
     * @param keysetHashBefore SHA-256 of the keyset file the rotation replaced, to update state.json's record at the end
     */
    public record Rotation(long newPrimaryKeyId, long previousPrimaryKeyId, String startedAt, String grace, String keysetHashBefore) {
        public Rotation withGrace(String newGrace) {
            return new Rotation(newPrimaryKeyId, previousPrimaryKeyId, startedAt, newGrace, keysetHashBefore);
        }
    }

    /** @param until ISO-8601 instant */
    public record Retiring(long keyId, String since, String until) {
        public Instant untilInstant() {
            return Instant.parse(until);
        }
    }

    public RotationState {
        retiring = retiring == null ? List.of() : List.copyOf(retiring);
    }

    public static RotationState none() {
        return new RotationState(null, List.of());
    }

    public static Path file(Path home) {
        return home.resolve(FILE);
    }

    /** The state on disk; {@link #none()} when there is no file. */
    public static RotationState read(Path home) {
        Path file = file(home);
        if (!Files.exists(file)) {
            return none();
        }
        try {
            return JSON.readValue(file.toFile(), RotationState.class);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The key rotation state " + file + " cannot be read: " + e.getMessage()
                    + ". It is written atomically, so it was edited or the disk is failing; restore it from this node's backup.", e);
        }
    }

    public void write(Path home) {
        Path file = file(home);
        try {
            DurableFiles.write(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write the key rotation state " + file + ": " + e.getMessage()
                    + ". Free disk space or fix the permissions there, then run the command again.", e);
        }
    }

    public Optional<Rotation> inProgress() {
        return Optional.ofNullable(rotation);
    }

    public RotationState withRotation(Rotation next) {
        return new RotationState(next, retiring);
    }

    /** The rotation done: no rotation under way, and {@code keyIds} retiring until {@code until} (an earlier date already set stays). */
    public RotationState finished(List<Long> keyIds, Instant now, Instant until) {
        List<Retiring> next = new ArrayList<>(retiring);
        for (long id : keyIds) {
            if (next.stream().noneMatch(r -> r.keyId() == id)) {
                next.add(new Retiring(id, now.toString(), until.toString()));
            }
        }
        return new RotationState(null, next);
    }

    public RotationState withoutRetiring(List<Long> keyIds) {
        return new RotationState(rotation, retiring.stream().filter(r -> !keyIds.contains(r.keyId())).toList());
    }

    public Optional<Retiring> retiring(long keyId) {
        return retiring.stream().filter(r -> r.keyId() == keyId).findFirst();
    }
}
