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
 * <p>Bounded: when a new batch would take the spool past {@code maxBytes}, the {@link Overflow} policy decides. The
 * emitter drops the oldest files first (like its in-memory queue: the newest observations are the ones worth
 * delivering after a long outage), counted in {@link #droppedEnvelopes()}; the bridge refuses the new batch instead
 * (it has acknowledged what it spooled, so dropping would lose accepted envelopes; the client keeps a refused one).
 * <p>The directory is listed once, at open; from then on this object keeps the list of files and their sizes, so the
 * flusher's "is anything spooled?" on every batch and {@code metrics()} cost no I/O. That holds because one owner
 * holds the directory: an exclusive file lock ({@code .lock}) is held while open.
 * <p>A directory that cannot be opened (not creatable, not writable, a file in its place) does not stop the owner
 * starting: {@link #problem()} says why, every {@link #append} tries to open it again and fails with that reason until
 * it can, and a write that fails (disk full) is reported the same way until one succeeds.
 */
public final class SpoolDir implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("b-(\\d{19})-n(\\d+)\\.jsonl");
    private static final String TMP = "incoming.tmp";

    /** What happens when a batch would take the spool past its bound. */
    public enum Overflow {
        /** Delete the oldest batches to make room (the emitter). */
        DROP_OLDEST,
        /** Refuse the new batch with an {@link IOException} (the bridge: what it spooled is already acknowledged). */
        REFUSE
    }

    private final Path dir;
    private final long maxBytes;
    private final Overflow overflow;
    private FileChannel lockChannel;
    private FileLock lock;
    private final Deque<Batch> batches = new ArrayDeque<>();
    private long bytes;
    /** Envelopes in the spool, kept with {@code bytes} so metrics and "is anything spooled?" cost no walk. */
    private long envelopes;
    private long nextSequence;
    private long droppedEnvelopes;
    private String problem;
    /** Set while a refusing spool is full; cleared when a delivered batch frees room. */
    private String full;

    /** A spool file: its path, its sequence, the number of envelopes in it and its size. */
    public record Batch(Path path, long sequence, int count, long bytes) {
    }

    /** An emitter's spool: drops the oldest batches when full. */
    public SpoolDir(Path dir, long maxBytes) {
        this(dir, maxBytes, Overflow.DROP_OLDEST);
    }

    /**
     * Opens (creating) {@code dir}, or records in {@link #problem()} why it cannot yet; throws
     * {@link IllegalStateException} when another owner holds it (a configuration error, reported at once).
     */
    public SpoolDir(Path dir, long maxBytes, Overflow overflow) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxSpoolBytes must be positive, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
        try {
            open();
        } catch (IOException e) {
            problem = describe(e);
        }
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            channel.close();
            throw new IllegalStateException("spool directory " + dir + " is in use by another owner; give each emitter "
                    + "or bridge its own spool directory");
        }
        Files.deleteIfExists(dir.resolve(TMP)); // a torn write from a crash
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    Batch b = new Batch(p, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Files.size(p));
                    batches.addLast(b);
                    bytes += b.bytes();
                    envelopes += b.count();
                    nextSequence = b.sequence() + 1;
                }
            }
        } catch (IOException e) {
            l.release();
            channel.close();
            batches.clear();
            bytes = 0;
            envelopes = 0;
            throw e;
        }
        lockChannel = channel;
        lock = l;
    }

    /** Opens the directory if an earlier attempt failed; throws with the reason while it still cannot. */
    private void ensureOpen() throws IOException {
        if (lock != null) {
            return;
        }
        if (closed) {
            throw new IOException("spool " + dir + " is closed");
        }
        try {
            open();
            problem = null;
        } catch (IOException e) {
            problem = describe(e);
            throw new IOException(problem, e);
        } catch (IllegalStateException inUse) {
            problem = inUse.getMessage();
            throw new IOException(problem, inUse);
        }
    }

    private String describe(IOException e) {
        return "spool directory " + dir + " is not writable: " + e;
    }

    /** An unopened directory is tried again at most this often when {@link #problem()} is asked. */
    static final long REOPEN_INTERVAL_NANOS = 1_000_000_000L;
    private long nextReopen;
    /**
     * Set by {@link #close()}: the directory is not opened again (a {@code metrics()} after close re-took the lock, and a
     * new emitter on the same directory in this JVM was then refused as a second owner).
     */
    private boolean closed;

    /**
     * Why the spool cannot be written now (unopenable directory, last write failed, full), or null when it can. An
     * unopened directory is tried again (at most once a second), so a health check sees it come back.
     */
    public synchronized String problem() {
        if (lock == null && !closed && System.nanoTime() - nextReopen >= 0) {
            nextReopen = System.nanoTime() + REOPEN_INTERVAL_NANOS;
            try {
                ensureOpen();
            } catch (IOException stillNot) {
                // reported below
            }
        }
        return problem != null ? problem : full;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Appends one batch durably; returns its file, or null (nothing written) for an empty batch.
     *
     * @throws IOException when the directory cannot be opened or written, or (policy {@link Overflow#REFUSE}) the
     *                     batch would take the spool past its bound; nothing of the batch is then on disk
     */
    public synchronized Batch append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return null;
        }
        ensureOpen();
        byte[] data = text(lines);
        makeRoom(data.length);
        Batch b;
        try {
            b = write(nextSequence++, lines.size(), data);
        } catch (IOException e) {
            problem = describe(e);
            throw e;
        }
        problem = null;
        batches.addLast(b);
        bytes += data.length;
        envelopes += b.count();
        return b;
    }

    private void makeRoom(long incoming) throws IOException {
        if (overflow == Overflow.REFUSE) {
            if (bytes + incoming > maxBytes) {
                full = "spool " + dir + " is full: " + bytes + " bytes spooled, a batch of " + incoming
                        + " would pass maxSpoolBytes " + maxBytes;
                throw new IOException(full);
            }
            return;
        }
        while (!batches.isEmpty() && bytes + incoming > maxBytes) {
            Batch oldest = batches.pollFirst();
            Files.deleteIfExists(oldest.path());
            bytes -= oldest.bytes();
            envelopes -= oldest.count();
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
            envelopes -= b.count();
            full = null;
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
        envelopes += rest.count() - b.count();
        full = null;
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

    /** Envelopes in the spool now. */
    public synchronized long envelopes() {
        return envelopes;
    }

    /**
     * The oldest spool files, in order, as many as hold at most {@code maxEnvelopes} together (always the first one,
     * whatever its size); empty when the spool is. Walks only what it returns.
     */
    public synchronized List<Batch> oldest(int maxEnvelopes) {
        List<Batch> out = new ArrayList<>();
        int count = 0;
        for (Batch b : batches) {
            if (!out.isEmpty() && count + b.count() > maxEnvelopes) {
                break;
            }
            out.add(b);
            count += b.count();
        }
        return out;
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
    public synchronized void close() throws IOException {
        closed = true;
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
        }
    }
}
