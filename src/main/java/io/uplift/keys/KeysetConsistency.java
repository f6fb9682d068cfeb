package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether this node's keyset is the one the database says encrypts it, and the message an
 * operator needs when it is not ("encryption configs don't match", said with what to do).
 */
public final class KeysetConsistency {
    /** Where a keyset of a home lives. */
    public static final String KEYSET = "config/keyset.json";

    private KeysetConsistency() {}

    public enum Verdict { MATCH, NOT_RECORDED, MISMATCH, ROTATION_IN_PROGRESS }

    /** What was compared: the node's keyset (opened, so known intact and openable) and the database's record. */
    public record Outcome(Verdict verdict, InstallationKeyset keyset, Optional<KeysetRecord> recorded, String message) {}

    /**
     * Opens the home's keyset (throwing a clear error when it cannot be: wrong master key, damaged
     * file...) and compares it with the recorded fingerprint.
     *
     * @param rotationAllowed whether an interrupted rotation (the file rotated, the database not yet
     *                        recorded) counts as consistent: true for resume, which finishes it
     */
    public static Outcome compare(Path home, Optional<KeysetRecord> recorded, boolean rotationAllowed) {
        Path file = home.resolve(KEYSET);
        SealedKeyset opened = KeysetStore.of(file).open(KeyEnvironment.system());
        InstallationKeyset keyset = opened.keyset();
        if (recorded.isEmpty()) {
            return new Outcome(Verdict.NOT_RECORDED, keyset, recorded, "the database records no keyset fingerprint yet (an installation"
                    + " made before Uplift recorded it); " + file + " has " + KeysetFingerprint.short12(keyset.fingerprint()));
        }
        KeysetRecord r = recorded.get();
        if (r.fingerprint().equals(keyset.fingerprint())) {
            return new Outcome(Verdict.MATCH, keyset, recorded, file + " matches the fingerprint the database recorded ("
                    + r.shortFingerprint() + ", primary key " + r.primaryKeyId() + ", recorded by node " + r.node() + ")");
        }
        if (rotationAllowed && rotationInProgress(home, keyset, r)) {
            return new Outcome(Verdict.ROTATION_IN_PROGRESS, keyset, recorded, file + " was rotated by the interrupted upgrade and the"
                    + " database still records the keyset before it (" + r.shortFingerprint() + "); resuming records the new one");
        }
        return new Outcome(Verdict.MISMATCH, keyset, recorded, mismatchOf(file, keyset, Optional.of(opened.seal().source()), r));
    }

    /** Throws the mismatch message unless the keyset matches (or nothing is recorded yet). */
    public static void require(Path home, Optional<KeysetRecord> recorded, boolean rotationAllowed) {
        Outcome o = compare(home, recorded, rotationAllowed);
        if (o.verdict() == Verdict.MISMATCH) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, o.message() + " Nothing was changed.");
        }
    }

    /** The mismatch message for an opened keyset sealed with {@code source} (empty: a keyset still in clear). */
    public static String mismatchOf(Path file, InstallationKeyset keyset, Optional<MasterKeySource> source, KeysetRecord r) {
        return mismatch(file, keyset.fingerprint(), keyset.primaryKeyId(), source.map(MasterKeySource::describe).orElse("its master key"), r);
    }

    /** The mismatch message from the keyset file's header alone, for callers without the master key (backups). */
    public static String mismatch(Path file, KeysetRecord r) {
        KeysetEnvelope.Header h = KeysetEnvelope.header(file);
        return mismatch(file, h.fingerprint(), h.primaryKeyId(), h.source().describe(), r);
    }

    private static String mismatch(Path file, String fingerprint, long primaryKeyId, String source, KeysetRecord r) {
        String observed = "This node's keyset does not match the database's: " + file + " has fingerprint "
                + KeysetFingerprint.short12(fingerprint) + " (primary key " + primaryKeyId + "), the database recorded "
                + r.shortFingerprint() + " (primary key " + r.primaryKeyId() + ") from node " + r.node() + ", home " + r.home() + ", at "
                + r.recordedAt() + ". This node could not decrypt the database's secrets.";
        Path home = file.toAbsolutePath().normalize().getParent().getParent();
        if (r.node().equals(KeysetRecord.thisNode()) && home != null && r.home().equals(home.toString())) {
            return observed + " This very node and home recorded it, so the keyset in place replaced it since: put back the"
                    + " config/keyset.json that goes with this database (this node's backup taken with it, 'uplift backup --list',"
                    + " holds it), with its master key (" + source + ").";
        }
        return observed + " Copy config/keyset.json from node " + r.node()
                + " (" + r.home() + "/config/keyset.json) together with its master key (" + source + " there), or restore this node's"
                + " config/ and the database together from one backup ('uplift backup --list').";
    }

    /** The keyset before an interrupted rotation is the recorded one, and the current keyset holds all its keys plus a new primary. */
    private static boolean rotationInProgress(Path home, InstallationKeyset current, KeysetRecord r) {
        Path keys = home.resolve(".uplift/keys");
        if (!Files.isDirectory(keys)) {
            return false;
        }
        List<Path> befores;
        try (Stream<Path> s = Files.list(keys)) {
            befores = s.filter(p -> p.getFileName().toString().startsWith("keyset-before-")).toList();
        } catch (IOException e) {
            return false;
        }
        for (Path before : befores) {
            if (KeysetEnvelope.fingerprintOf(before).filter(r.fingerprint()::equals).isPresent()) {
                Set<Integer> kept = new HashSet<>();
                KeysetStore.of(before).open(KeyEnvironment.system()).keyset().handle().getKeysetInfo().getKeyInfoList().forEach(k -> kept.add(k.getKeyId()));
                Set<Integer> now = new HashSet<>();
                current.handle().getKeysetInfo().getKeyInfoList().forEach(k -> now.add(k.getKeyId()));
                if (now.containsAll(kept)) {
                    return true;
                }
            }
        }
        return false;
    }
}
