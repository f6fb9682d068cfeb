package io.uplift.dbmove;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The export's finished files: each is appended to {@code .export-progress.jsonl} (name, size,
 * SHA-256) as it is renamed into place, so a resumed move knows which chunks already have their
 * file. Thread-safe: the copy's threads finish files at once.
 */
final class ExportProgress {
    private static final ObjectMapper LINE = new ObjectMapper();

    /** One finished file: a line of the progress file. */
    record Written(String chunk, String file, String compression, int zstdLevel, long copyBytes, long bytes, String sha256) {}

    private final Path dir;
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    ExportProgress(Path dir) {
        this.dir = dir;
    }

    /**
     * What earlier runs finished: the files of an earlier manifest and of the progress file that
     * are still there at their recorded size. Half-written (.partial) files are deleted.
     */
    void replay() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(ExportFileNames.PARTIAL)).toList()) {
                Files.delete(p);
            }
        }
        List<Written> earlier = new ArrayList<>(fromManifest());
        Path progress = dir.resolve(ExportFileNames.PROGRESS);
        if (Files.isRegularFile(progress)) {
            for (String line : Files.readAllLines(progress, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        earlier.add(LINE.readValue(line, Written.class));
                    } catch (IOException e) {
                        // a line torn by a crash: its chunk is exported again
                    }
                }
            }
        }
        for (Written e : earlier) {
            Path f = dir.resolve(e.file());
            if (Files.isRegularFile(f) && Files.size(f) == e.bytes()) {
                written.put(e.chunk(), e);
            }
        }
    }

    private List<Written> fromManifest() throws IOException {
        Path manifest = dir.resolve(ExportManifest.FILE);
        List<Written> out = new ArrayList<>();
        if (Files.isRegularFile(manifest)) {
            ExportManifest m = ExportManifest.JSON.readValue(manifest.toFile(), ExportManifest.class);
            for (ExportManifest.DataFile d : m.data() == null ? List.<ExportManifest.DataFile>of() : m.data()) {
                out.add(new Written(d.schema() + "." + d.table() + "#" + d.chunk() + "/" + d.of(), d.file(), d.compression(),
                        d.zstdLevel(), d.copyBytes(), d.bytes(), d.sha256()));
            }
        }
        return out;
    }

    /** Appends the line and forces it to disk before the chunk counts as exported. */
    synchronized void record(Written w) throws IOException {
        written.put(w.chunk(), w);
        byte[] line = (LINE.writeValueAsString(w) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = OwnerOnly.append(dir.resolve(ExportFileNames.PROGRESS))) {
            ch.write(ByteBuffer.wrap(line));
            ch.force(true);
        }
    }

    boolean has(Chunk chunk) {
        return written.containsKey(chunk.id());
    }

    Optional<Written> of(String chunkId) {
        return Optional.ofNullable(written.get(chunkId));
    }

    Written take(String chunkId) {
        return written.remove(chunkId);
    }

    /** The manifest, written last, now holds every line: the progress file goes. */
    void delete() throws IOException {
        Files.deleteIfExists(dir.resolve(ExportFileNames.PROGRESS));
    }
}
