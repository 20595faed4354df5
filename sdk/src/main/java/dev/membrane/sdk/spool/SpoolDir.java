package dev.membrane.sdk.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The emitter's disk spool (SPEC §12): one file per batch that could not be delivered, one envelope JSON per line,
 * named {@code b-<sequence>-n<count>.jsonl} so the directory lists oldest first across restarts. Each file is written
 * to a temporary name, fsync'd, atomically renamed, and the directory fsync'd: after a crash a batch file is either
 * complete or absent.
 * <p>Bounded: when a new batch would take the spool past {@code maxBytes}, the oldest files are deleted first
 * (drop-oldest, like the in-memory queue) and their envelopes counted in {@link #droppedEnvelopes()}. The newest
 * observations are the ones worth delivering after a long outage.
 * <p>The directory is listed once, at open; from then on this object keeps the list of files and their sizes, so the
 * flusher's "is anything spooled?" on every batch and {@code metrics()} cost no I/O. That holds because one emitter
 * owns the directory: an exclusive file lock ({@code .lock}) is held while open.
 */
public final class SpoolDir implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("b-(\\d{19})-n(\\d+)\\.jsonl");
    private static final String TMP = "incoming.tmp";

    private final Path dir;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Deque<Batch> batches = new ArrayDeque<>();
    private long bytes;
    private long nextSequence;
    private long droppedEnvelopes;

    /** A spool file: its path, its sequence, the number of envelopes in it and its size. */
    public record Batch(Path path, long sequence, int count, long bytes) {
    }

    /** Opens (creating) {@code dir}; throws {@link IllegalStateException} when another emitter holds it. */
    public SpoolDir(Path dir, long maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxSpoolBytes must be positive, got " + maxBytes);
        }
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("spool directory " + dir + " is in use by another emitter; give each its own spoolDir");
        }
        this.lock = l;
        Files.deleteIfExists(dir.resolve(TMP)); // a torn write from a crash
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    Batch b = new Batch(p, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Files.size(p));
                    batches.addLast(b);
                    bytes += b.bytes();
                    nextSequence = b.sequence() + 1;
                }
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /** Appends one batch durably; returns false (nothing written) for an empty batch. */
    public synchronized boolean append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return false;
        }
        byte[] data = text(lines);
        makeRoom(data.length);
        batches.addLast(write(nextSequence++, lines.size(), data));
        bytes += data.length;
        return true;
    }

    private void makeRoom(long incoming) throws IOException {
        while (!batches.isEmpty() && bytes + incoming > maxBytes) {
            Batch oldest = batches.pollFirst();
            Files.deleteIfExists(oldest.path());
            bytes -= oldest.bytes();
            droppedEnvelopes += oldest.count();
        }
    }

    /** Spool files, oldest first (a copy: the flusher may append while it walks them). */
    public synchronized List<Batch> batches() {
        return new ArrayList<>(batches);
    }

    public List<String> read(Batch b) throws IOException {
        return Files.readAllLines(b.path(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Removes a delivered batch. */
    public synchronized void delete(Batch b) throws IOException {
        Files.deleteIfExists(b.path());
        if (batches.remove(b)) {
            bytes -= b.bytes();
        }
        syncDirectory();
    }

    /** Replaces a partly delivered batch by what is left of it, keeping its place in the order. */
    public synchronized void replace(Batch b, List<String> remaining) throws IOException {
        if (remaining.isEmpty()) {
            delete(b);
            return;
        }
        if (!batches.contains(b)) {
            return; // dropped by the bound meanwhile
        }
        Batch rest = write(b.sequence(), remaining.size(), text(remaining));
        if (!rest.path().equals(b.path())) {
            Files.deleteIfExists(b.path());
            syncDirectory();
        }
        List<Batch> all = new ArrayList<>(batches);
        all.set(all.indexOf(b), rest);
        batches.clear();
        batches.addAll(all);
        bytes += rest.bytes() - b.bytes();
    }

    /** Writes {@code data} as batch file {@code sequence}: temporary file, fsync, atomic rename, directory fsync. */
    private Batch write(long sequence, int count, byte[] data) throws IOException {
        Path tmp = dir.resolve(TMP);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Path target = dir.resolve(String.format("b-%019d-n%d.jsonl", sequence, count));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
        return new Batch(target, sequence, count, data.length);
    }

    private static byte[] text(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            text.append(l).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public synchronized boolean isEmpty() {
        return batches.isEmpty();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long droppedEnvelopes() {
        return droppedEnvelopes;
    }

    /** Makes the rename durable; some platforms cannot open a directory for sync, which is then best effort. */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows): the file contents are already fsync'd.
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
