package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.VerifyResult;
import io.uplift.api.ErrorCode;
import io.uplift.db.ToolRun;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.db.PgTools;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.api.VerifyResult.Kind;
import io.uplift.api.VerifyResult.Problem;
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

    /**
     * @param startServer for a data-folder copy: also start a throwaway server on a scratch copy and compare
     *                    its row counts with the manifest's (skipped right after writing, which just did that)
     */
    static VerifyResult verify(Path folder, Optional<BackupManifest> manifest, PgTools tools, LongConsumer bytesRead, boolean startServer) {
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
        if (m.isDataFolderCopy()) {
            List<Problem> copy = new ArrayList<>();
            for (Entry e : m.databaseFiles() == null ? List.<Entry>of() : m.databaseFiles()) {
                checkEntry(folder, e, counting).ifPresent(copy::add);
                checked++;
            }
            problems.addAll(copy);
            if (copy.isEmpty() && startServer) {
                problems.addAll(startedCopy(folder, m));
            }
        } else if (m.dump() == null) {
            problems.add(new Problem(BackupManifest.FILE, Kind.MANIFEST_UNREADABLE, "names neither a dump nor a data-folder copy"));
        } else {
            Optional<Problem> dump = checkEntry(folder, m.dump(), counting);
            dump.ifPresent(problems::add);
            if (dump.isEmpty()) {
                readableDump(folder.resolve(m.dump().path()), tools).ifPresent(problems::add);
            }
            checked++;
        }
        keysetMismatch(folder, m).ifPresent(problems::add);
        problems.addAll(unexpected(folder, m));
        return new VerifyResult(m.id(), checked, bytes[0], problems);
    }

    /** A throwaway server on a scratch copy must start and count the rows the backup recorded. */
    private static List<Problem> startedCopy(Path folder, BackupManifest m) {
        Map<String, Long> rows;
        try {
            rows = ThrowawayServer.countRows(folder, m.databaseFiles(), m.databaseServerMajor(), m.databaseOsUser(), m.databaseName(),
                    m.dataFolder() == null ? null : Path.of(m.dataFolder()));
        } catch (io.uplift.api.UpliftException e) {
            return List.of(new Problem(BackupManifest.DATABASE_FOLDER, Kind.DATABASE_UNUSABLE, e.getMessage()));
        }
        Map<String, Long> recorded = m.tableRows() == null ? Map.of() : m.tableRows();
        List<Problem> problems = new ArrayList<>();
        Set<String> tables = new java.util.TreeSet<>(recorded.keySet());
        tables.addAll(rows.keySet());
        for (String t : tables) {
            Long want = recorded.get(t);
            Long got = rows.get(t);
            if (!java.util.Objects.equals(want, got)) {
                problems.add(new Problem(BackupManifest.DATABASE_FOLDER, Kind.ROW_COUNT_MISMATCH, "table " + t + ": "
                        + (got == null ? "missing" : got + " rows") + ", the manifest says " + (want == null ? "no such table" : want + " rows")));
            }
        }
        return problems;
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
            long size = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
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
        if (m.databaseFiles() != null) {
            m.databaseFiles().forEach(e -> known.add(e.path()));
        }
        if (m.dump() != null) {
            known.add(m.dump().path());
        }
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
