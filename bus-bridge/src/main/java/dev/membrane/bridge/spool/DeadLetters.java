package dev.membrane.bridge.spool;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SPEC §11 dead-letter file: an envelope that still fails when integrated alone (after retries) is appended, fsync'd,
 * with its error and time, to {@code dead-letter.jsonl}, so nothing accepted disappears silently.
 * <p>Concurrency: used only by the relay thread.
 */
public final class DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public DeadLetters(Path file) {
        this.file = file;
    }

    public void add(Map<String, Object> envelope, String error, long now) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", now);
        line.put("error", error);
        line.put("envelope", envelope);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    public Path file() {
        return file;
    }
}
