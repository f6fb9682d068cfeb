package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.db.ToolRun;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.db.PgTools;
import io.uplift.backup.BackupManifest.Entry;
import io.uplift.backup.VerifyResult.Kind;
import io.uplift.backup.VerifyResult.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Checks a backup folder against its manifest: every item present with its type, size and SHA-256,
 * nothing unexpected beside them, and a dump that pg_restore can read. Problems are collected, not
 * thrown: the operator wants the whole list at once.
 */
final class BackupVerifier {
    private static final Duration LIST_TIMEOUT = Duration.ofMinutes(30);

    private BackupVerifier() {}

    static VerifyResult verify(Path folder, Optional<BackupManifest> manifest, PgTools tools, LongConsumer bytesRead) {
        String id = folder.getFileName().toString();
        if (manifest.isEmpty()) {
            return new VerifyResult(id, 0, 0, List.of(new Problem(BackupManifest.FILE, Kind.MANIFEST_UNREADABLE,
                    "missing or not valid JSON; the backup cannot be used")));
        }
        BackupManifest m = manifest.get();
        List<Problem> problems = new ArrayList<>();
        long[] bytes = {0};
        LongConsumer counting = n -> {
            bytes[0] += n;
            bytesRead.accept(n);
        };
        int checked = 0;
        for (Entry e : m.files()) {
            checkEntry(folder, e, counting).ifPresent(problems::add);
            checked++;
        }
        Optional<Problem> dump = checkEntry(folder, m.dump(), counting);
        dump.ifPresent(problems::add);
        if (dump.isEmpty()) {
            readableDump(folder.resolve(m.dump().path()), tools).ifPresent(problems::add);
        }
        keysetMismatch(folder, m).ifPresent(problems::add);
        problems.addAll(unexpected(folder, m));
        return new VerifyResult(m.id(), checked + 1, bytes[0], problems);
    }

    private static Optional<Problem> checkEntry(Path folder, Entry e, LongConsumer bytesRead) {
        Path p = folder.resolve(e.path());
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return problem(e, Kind.MISSING, "");
        }
        try {
            if (e.isLink()) {
                if (!Files.isSymbolicLink(p)) {
                    return problem(e, Kind.WRONG_TYPE, "expected a symbolic link");
                }
                String target = Files.readSymbolicLink(p).toString();
                return target.equals(e.link()) ? Optional.empty() : problem(e, Kind.LINK_MISMATCH, "points to " + target + ", expected " + e.link());
            }
            if (e.isDir()) {
                return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? Optional.empty() : problem(e, Kind.WRONG_TYPE, "expected a folder");
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return problem(e, Kind.WRONG_TYPE, "expected a file");
            }
            long size = Files.size(p);
            if (size != e.size()) {
                return problem(e, Kind.SIZE_MISMATCH, size + " bytes, expected " + e.size());
            }
            String sha = TreeCopy.hash(p, bytesRead);
            return sha.equals(e.sha256()) ? Optional.empty() : problem(e, Kind.CHECKSUM_MISMATCH, "SHA-256 " + sha + ", expected " + e.sha256());
        } catch (IOException ex) {
            return problem(e, Kind.MISSING, "unreadable: " + ex.getMessage());
        }
    }

    /**
     * The backed-up keyset is the one the manifest names, and the one the dumped database recorded:
     * restoring the pair must give a database its keyset decrypts. Read from the keyset's header,
     * so verifying needs no master key.
     */
    private static Optional<Problem> keysetMismatch(Path folder, BackupManifest m) {
        if (m.keysetFingerprint() == null) {
            return Optional.empty();
        }
        Optional<String> found = KeysetEnvelope.fingerprintOf(folder.resolve(KeysetConsistency.KEYSET));
        if (found.isEmpty() || !found.get().equals(m.keysetFingerprint())) {
            return Optional.of(new Problem(KeysetConsistency.KEYSET, Kind.KEYSET_MISMATCH, "the backed-up keyset's fingerprint is "
                    + found.map(BackupVerifier::shortFp).orElse("unreadable") + ", the manifest says " + shortFp(m.keysetFingerprint())));
        }
        if (m.databaseKeysetFingerprint() != null && !m.databaseKeysetFingerprint().equals(m.keysetFingerprint())) {
            return Optional.of(new Problem(KeysetConsistency.KEYSET, Kind.KEYSET_MISMATCH, "the backed-up keyset is "
                    + shortFp(m.keysetFingerprint()) + " but the dumped database recorded " + shortFp(m.databaseKeysetFingerprint())));
        }
        return Optional.empty();
    }

    private static String shortFp(String fp) {
        return fp.length() > 12 ? fp.substring(0, 12) : fp;
    }

    private static Optional<Problem> problem(Entry e, Kind kind, String detail) {
        return Optional.of(new Problem(e.path(), kind, detail));
    }

    /** pg_restore --list reads the whole table of contents: a truncated or foreign file fails it. */
    private static Optional<Problem> readableDump(Path dump, PgTools tools) {
        ToolRun.Result r = ToolRun.run(List.of(tools.pgRestore().toString(), "--list", dump.toString()), Map.of(), line -> { },
                LIST_TIMEOUT, ErrorCode.BACKUP_FAILED);
        if (r.exitCode() != 0) {
            return Optional.of(new Problem(BackupManifest.DUMP_FILE, Kind.DUMP_UNREADABLE, "pg_restore --list failed: " + r.stderrTail().strip()));
        }
        return Optional.empty();
    }

    private static List<Problem> unexpected(Path folder, BackupManifest m) {
        Set<String> known = new HashSet<>();
        m.files().forEach(e -> known.add(e.path()));
        known.add(m.dump().path());
        known.add(BackupManifest.FILE);
        List<Problem> problems = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString())
                    .filter(rel -> !known.contains(rel)).sorted()
                    .forEach(rel -> problems.add(new Problem(rel, Kind.UNEXPECTED, "not in the manifest")));
        } catch (IOException | UncheckedIOException e) {
            problems.add(new Problem(".", Kind.MISSING, "cannot list the backup folder: " + e.getMessage()));
        }
        return problems;
    }
}
