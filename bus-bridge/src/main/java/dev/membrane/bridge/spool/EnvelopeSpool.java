package dev.membrane.bridge.spool;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.sdk.spool.SpoolDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * SPEC §11 durability: the bridge's spool of batches that could not reach Neo4j, written before they are acked
 * {@code spooled}. It is the SDK's {@link SpoolDir} (one fsync'd file per batch, atomic rename, oldest first across
 * restarts, one owner per directory) with envelopes as JSON lines, and one difference of policy: the bridge has
 * acknowledged what it spooled, so a full spool refuses the next batch (its client is answered {@code retry} and
 * keeps it) instead of dropping the oldest.
 * <p>An unwritable directory does not stop the bridge: {@link #problem()} says why (for /health, /metrics and the
 * log) and each write tries it again. Concurrency: used only by the relay thread.
 */
public final class EnvelopeSpool implements AutoCloseable {
    /** Default bound of the spool on disk (bytes): about two million typical envelopes. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeSpool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Batch files of bridges before 0.4 ({@code batch-<seq>.jsonl}); imported once at open, oldest first. */
    private static final String LEGACY_PREFIX = "batch-";

    private final SpoolDir dir;

    public EnvelopeSpool(Path dir) {
        this(dir, DEFAULT_MAX_BYTES);
    }

    public EnvelopeSpool(Path dir, long maxBytes) {
        this.dir = new SpoolDir(dir, maxBytes, SpoolDir.Overflow.REFUSE);
        if (this.dir.problem() != null) {
            LOG.error("{}; the bus runs, but while Neo4j is unreachable envelopes are answered retry instead of spooled",
                    this.dir.problem());
        } else {
            importLegacy(dir);
        }
    }

    public Path directory() {
        return dir.directory();
    }

    /** Durably writes one batch; its {@link SpoolDir.Batch#sequence()} names it until it is delivered. */
    public SpoolDir.Batch write(List<Map<String, Object>> envelopes) throws IOException {
        List<String> lines = new ArrayList<>(envelopes.size());
        for (Map<String, Object> e : envelopes) {
            lines.add(JSON.writeValueAsString(e));
        }
        return dir.append(lines);
    }

    /** The oldest spooled batches holding at most {@code maxEnvelopes} together (at least one), in order. */
    public List<SpoolDir.Batch> oldest(int maxEnvelopes) {
        return dir.oldest(maxEnvelopes);
    }

    public List<Map<String, Object>> read(SpoolDir.Batch b) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : dir.read(b)) {
            out.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() { }));
        }
        return out;
    }

    /** Removes a delivered batch. */
    public void delete(SpoolDir.Batch b) throws IOException {
        dir.delete(b);
    }

    /** Keeps only the envelopes of {@code b} that were not delivered, in its place in the order. */
    public void keep(SpoolDir.Batch b, List<Map<String, Object>> undelivered) throws IOException {
        List<String> lines = new ArrayList<>(undelivered.size());
        for (Map<String, Object> e : undelivered) {
            lines.add(JSON.writeValueAsString(e));
        }
        dir.replace(b, lines);
    }

    /** Envelopes waiting in the spool. */
    public long size() {
        return dir.envelopes();
    }

    /** Why the spool cannot be written now, or null. */
    public String problem() {
        return dir.problem();
    }

    /** Moves batch files an older bridge left ({@code batch-*.jsonl}) into this spool, keeping their order. */
    private void importLegacy(Path path) {
        try (Stream<Path> s = Files.list(path)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith(LEGACY_PREFIX)
                    && p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
                dir.append(lines);
                Files.delete(f);
                LOG.info("imported {} spooled envelope(s) from {}", lines.size(), f.getFileName());
            }
        } catch (IOException e) {
            LOG.error("cannot import the older spool files in {}: {}; they stay where they are", path, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        dir.close();
    }
}
