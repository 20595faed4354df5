package dev.membrane.bridge.spool;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * SPEC §11 durability: batches that could not reach Neo4j are written to disk before they are acked
 * {@code spooled}: one file per batch ({@code batch-<seq>.jsonl}, one envelope per line), fsync'd, then its directory
 * fsync'd, and renamed into place only when complete, so a crash never leaves half a batch. Files are replayed
 * oldest first and deleted only after their transaction committed; a restarted bridge finds and replays what the
 * previous one left. Idempotency by envelope id makes a replay after a crash between commit and delete harmless.
 * <p>Concurrency: used only by the relay thread.
 */
public final class Spool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "batch-";
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private long nextSeq;

    public Spool(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.nextSeq = files().stream().mapToLong(Spool::seqOf).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("spool directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Durably appends one batch; returns its file. */
    public Path write(List<Map<String, Object>> envelopes) throws IOException {
        Path target = dir.resolve(PREFIX + String.format("%012d", nextSeq++) + SUFFIX);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> e : envelopes) {
            lines.append(JSON.writeValueAsString(e)).append('\n');
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        return target;
    }

    /** Spooled batch files, oldest first. */
    public List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted().toList();
        }
    }

    public List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() { }));
            }
        }
        return out;
    }

    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        syncDirectory();
    }

    public boolean isEmpty() throws IOException {
        return files().isEmpty();
    }

    /** Envelopes waiting in the spool. */
    public long size() {
        try {
            long n = 0;
            for (Path f : files()) {
                n += read(f).size();
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignoredOnPlatformsWithoutDirectorySync) {
            // Linux supports it; elsewhere the file's own fsync is what we can do
        }
    }

    private static long seqOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
    }
}
