package io.uplift.backup;

import io.uplift.api.BackupManifest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backup folder's layout. Each complete backup is a folder {@code <id>/} with a manifest;
 * {@code <id>.partial/} is one being written (or abandoned: its {@code in-progress} file names the
 * process, and once that process is gone the folder is garbage). Writing into {@code .partial} and
 * renaming at the end makes "complete" atomic: no reader ever sees half a backup under a real id.
 */
final class BackupStore {
    static final String PARTIAL = ".partial";
    static final String IN_PROGRESS = "in-progress";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    BackupStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** {@code 20261123T051500Z-lockbox-1.0}: sortable by time, readable, unique in this folder. */
    String newId(Instant now, String product, String version) {
        String base = ID_TIME.format(now) + "-" + safe(product) + "-" + safe(version);
        String id = base;
        for (int n = 2; Files.exists(root.resolve(id)) || Files.exists(root.resolve(id + PARTIAL)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private static String safe(String s) {
        return s.toLowerCase().replaceAll("[^a-z0-9._-]+", "_");
    }

    Path folder(String id) {
        if (id.isBlank() || id.contains("/") || id.startsWith(".") || id.endsWith(PARTIAL)) {
            throw unknown(id);
        }
        return root.resolve(id);
    }

    /** The manifest of a complete backup, or BACKUP_FAILED naming the backups that do exist. */
    BackupManifest manifest(String id) {
        Path dir = folder(id);
        if (!Files.isDirectory(dir)) {
            throw unknown(id);
        }
        return readManifest(dir).orElseThrow(() -> new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + dir
                + " has no readable " + BackupManifest.FILE + ": it is damaged and cannot be used. Take a new backup."));
    }

    private UpliftException unknown(String id) {
        List<String> known = list().stream().map(BackupManifest::id).toList();
        return new UpliftException(ErrorCode.BACKUP_FAILED, "There is no backup '" + id + "' in " + root + ". "
                + (known.isEmpty() ? "That folder holds no complete backup; pass the right one with --backup-dir."
                        : "Known backups: " + String.join(", ", known) + "."));
    }

    /** Complete backups, newest first; unfinished and unreadable folders are left out. */
    List<BackupManifest> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<BackupManifest> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().endsWith(PARTIAL) && !d.getFileName().toString().startsWith("."))
                    .forEach(d -> readManifest(d).filter(m -> d.getFileName().toString().equals(m.id())).ifPresent(all::add));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot list the backup folder " + root + ": " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(BackupManifest::created).thenComparing(BackupStore::suffix).reversed());
        return all;
    }

    // "...-1.0-10" must sort after "...-1.0-9": compare the uniqueness suffix as a number.
    private static long suffix(BackupManifest m) {
        String tail = m.id().substring(m.id().lastIndexOf('-') + 1);
        return tail.matches("\\d{1,9}") ? Long.parseLong(tail) : 0;
    }

    Optional<BackupManifest> readManifest(Path dir) {
        Path file = dir.resolve(BackupManifest.FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), BackupManifest.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void writeManifest(Path dir, BackupManifest manifest) throws IOException {
        DurableFiles.write(dir.resolve(BackupManifest.FILE), JSON.writeValueAsBytes(manifest));
    }

    /** Marks a new {@code .partial} folder as this process's, so another backup does not take it for garbage. */
    void claim(Path partial) throws IOException {
        Files.writeString(partial.resolve(IN_PROGRESS), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
    }

    /** Deletes unfinished backups whose process is gone (killed, crashed, out of room). */
    List<Path> removeAbandoned() {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList()) {
                if (!ownedByLiveProcess(d)) {
                    deleteTree(d);
                    removed.add(d);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot remove unfinished backups in " + root + ": " + e.getMessage()
                    + ". Delete the *.partial folders there by hand.", e);
        }
        return removed;
    }

    private static boolean ownedByLiveProcess(Path partial) {
        try {
            long pid = Long.parseLong(Files.readString(partial.resolve(IN_PROGRESS)).strip());
            // This process runs one backup at a time: its own leftovers are abandoned too.
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Deletes a complete backup by first renaming it to {@code .partial} (atomic), so that a crash while
     * deleting leaves garbage the next backup removes, never a half-deleted backup that looks complete.
     */
    void delete(String id) throws IOException {
        Path dir = folder(id);
        Path doomed = root.resolve(id + PARTIAL);
        Files.move(dir, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.forceDirectory(root);
        deleteTree(doomed);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
