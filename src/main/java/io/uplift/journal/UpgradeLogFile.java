package io.uplift.journal;

import io.uplift.api.ErrorCode;
import io.uplift.api.LogLine;
import io.uplift.api.UpgradeLog;
import io.uplift.api.UpliftException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The upgrade log, .uplift/upgrade.log: what every upgrade, resume and rollback run on this home did,
 * one line per event, {@code ISO-instant TAB text}. It is a report for people (the console, a support
 * bundle); the journal stays the durable record, so a line is written with one unforced append.
 *
 * <p>One writer at a time (the run holding the home lock) and any number of readers, each with a
 * cursor: the byte offset after the last line it got. A reader is only ever given complete lines
 * (ending in a newline), so a line being appended while it reads is left for its next read, and a
 * reader that comes back with its cursor gets every later line once, none lost, none repeated.
 * Neither side follows a symbolic link at the file: as root, a planted link would otherwise make
 * Uplift append to, or serve, another file.
 */
public final class UpgradeLogFile {
    public static final String NAME = "upgrade.log";

    private final Path file;
    private final Clock clock;

    public UpgradeLogFile(Path upliftDir, Clock clock) {
        this.file = upliftDir.resolve(NAME);
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Appends one line with the time now; line breaks inside {@code text} become spaces, so one event stays one line. */
    public void append(String text) throws IOException {
        byte[] line = (clock.instant() + "\t" + text.replace('\n', ' ').replace('\r', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
        requirePlainFileIfPresent();
        try (FileChannel channel = FileChannel.open(file, options, ownerOnly())) {
            // One write of the whole line with O_APPEND: a reader sees the line whole or a prefix it leaves alone.
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** {@link #read} for the facade: arguments checked, the folder trusted, failures as errors that say where. */
    public static UpgradeLog readIn(Path upliftDir, long cursor, int max) {
        if (cursor < 0 || max < 1) {
            throw new UpliftException(ErrorCode.USAGE, "The upgrade log is read from a cursor of 0 or more (the 'next' of the last read),"
                    + " at least one line at a time; asked: cursor " + cursor + ", " + max + " lines.");
        }
        TrustedFolder.require(upliftDir);
        try {
            return new UpgradeLogFile(upliftDir, Clock.systemUTC()).read(cursor, max);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read the upgrade log " + upliftDir.resolve(NAME) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code max} complete lines from byte offset {@code cursor}. A cursor past the end of the
     * file, or not at the start of a line, means the file was replaced since (a restored home, a
     * removed log): reading starts again from the beginning rather than mid-line or never.
     */
    public UpgradeLog read(long cursor, int max) throws IOException {
        requirePlainFileIfPresent();
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new UpgradeLog(List.of(), 0);
        }
        try (channel) {
            long from = cursor <= channel.size() && atLineStart(channel, cursor) ? cursor : 0;
            return readLines(Channels.newInputStream(channel.position(from)), from, max);
        }
    }

    private static UpgradeLog readLines(InputStream raw, long from, int max) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        List<LogLine> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long next = from;
        long pos = from;
        int b;
        while (lines.size() < max && (b = in.read()) != -1) {
            pos++;
            if (b != '\n') {
                line.write(b);
                continue;
            }
            next = pos;
            lines.add(parse(line.toString(StandardCharsets.UTF_8), next));
            line.reset();
        }
        return new UpgradeLog(lines, next); // bytes after the last newline are a line still being written
    }

    private static LogLine parse(String line, long next) {
        int tab = line.indexOf('\t');
        return tab < 0 ? new LogLine(next, "", line) : new LogLine(next, line.substring(0, tab), line.substring(tab + 1));
    }

    private static boolean atLineStart(FileChannel channel, long cursor) throws IOException {
        if (cursor == 0) {
            return true;
        }
        ByteBuffer before = ByteBuffer.allocate(1);
        return channel.read(before, cursor - 1) == 1 && before.get(0) == '\n';
    }

    /**
     * O_NOFOLLOW refuses a link when opening; this refuses, before opening, whatever else is no plain
     * file (opening a FIFO would block forever). The folder is the trusted .uplift (see
     * {@link TrustedFolder}), so no other account can swap the file between the check and the open.
     */
    private void requirePlainFileIfPresent() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a plain file (a link or a special file); remove it, Uplift creates it again");
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
