package dev.membrane.sdk.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * <p>One emitter per directory: an exclusive file lock ({@code .lock}) is held while open.
 */
public final class SpoolDir implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("b-(\\d{19})-n(\\d+)\\.jsonl");

    private final Path dir;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long nextSequence;
    private long droppedEnvelopes;

    /** A spool file: its path and the number of envelopes in it. */
    public record Batch(Path path, int count) {
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
        for (Batch b : batches()) {
            nextSequence = Math.max(nextSequence, sequence(b.path()) + 1);
        }
        Files.deleteIfExists(dir.resolve("incoming.tmp"));
    }

    public Path directory() {
        return dir;
    }

    /** Appends one batch durably; returns false (nothing written) for an empty batch. */
    public synchronized boolean append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            text.append(l).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        makeRoom(bytes.length);
        Path tmp = dir.resolve("incoming.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Path target = dir.resolve(String.format("b-%019d-n%d.jsonl", nextSequence++, lines.size()));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        syncDirectory();
        return true;
    }

    private void makeRoom(long incoming) throws IOException {
        List<Batch> all = batches();
        long total = 0;
        for (Batch b : all) {
            total += Files.size(b.path());
        }
        for (Batch b : all) {
            if (total + incoming <= maxBytes) {
                break;
            }
            total -= Files.size(b.path());
            Files.delete(b.path());
            droppedEnvelopes += b.count();
        }
    }

    /** Spool files, oldest first. */
    public synchronized List<Batch> batches() throws IOException {
        List<Batch> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.sorted().forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Batch(p, Integer.parseInt(m.group(2))));
                }
            });
        }
        return out;
    }

    public List<String> read(Batch b) throws IOException {
        return Files.readAllLines(b.path(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Removes a delivered batch. */
    public synchronized void delete(Batch b) throws IOException {
        Files.deleteIfExists(b.path());
        syncDirectory();
    }

    /** Replaces a partly delivered batch by what is left of it, keeping its place in the order. */
    public synchronized void replace(Batch b, List<String> remaining) throws IOException {
        if (remaining.isEmpty()) {
            delete(b);
            return;
        }
        Path tmp = dir.resolve("incoming.tmp");
        Files.write(tmp, (String.join("\n", remaining) + "\n").getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = dir.resolve(String.format("b-%019d-n%d.jsonl", sequence(b.path()), remaining.size()));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        if (!target.equals(b.path())) {
            Files.deleteIfExists(b.path());
        }
        syncDirectory();
    }

    public boolean isEmpty() throws IOException {
        return batches().isEmpty();
    }

    public long bytes() throws IOException {
        long total = 0;
        for (Batch b : batches()) {
            total += Files.size(b.path());
        }
        return total;
    }

    public synchronized long droppedEnvelopes() {
        return droppedEnvelopes;
    }

    private static long sequence(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
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
