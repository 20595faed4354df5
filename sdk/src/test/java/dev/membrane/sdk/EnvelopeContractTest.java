package dev.membrane.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.protocol.EnvelopeLimits;
import dev.membrane.protocol.EnvelopeParser;
import dev.membrane.protocol.Envelope;
import dev.membrane.sdk.spool.SpoolDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each emitter puts on the wire validates against the plugin's schema file and the plugin's validator. The bytes
 * checked are the spooled ones — the very lines the flusher sends — taken with the bus unreachable.
 */
class EnvelopeContractTest {
    @TempDir
    Path spool;

    static MembraneEmitter.Builder offline(String source, Path spool) {
        return MembraneEmitter.builder(source).busUri("ws://127.0.0.1:9/api/ws").spoolDir(spool)
                .connectTimeout(Duration.ofMillis(200)).closeOnShutdown(false);
    }

    /** The JSON lines in the spool, oldest first. */
    static List<String> spooled(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (SpoolDir s = new SpoolDir(dir, Long.MAX_VALUE)) {
            for (SpoolDir.Batch b : s.batches()) {
                out.addAll(s.read(b));
            }
        }
        return out;
    }

    @Test
    void everyEmitterProducesEnvelopesTheSchemaAndThePluginAccept() throws Exception {
        MembraneEmitter emitter = offline("ui:dashboard", spool).build();
        emitter.emit("personal", "notes", "remember the backup window", Map.of("urgency", 0.2), "ui",
                Map.of("citizen_id", "ada"), "node-1");
        emitter.emitScriptError("script:backup", "backup failed, password=hunter2", "organizational",
                new IllegalStateException("disk full for postgres://admin:pa55@db-1/app"),
                Map.of("host", "db-1"));
        emitter.emitMetric("service:db", "disk.used.ratio", 0.93, "organizational", Map.of("host", "db-1"));
        emitter.emitUiAction("click", "opened the incident view", "personal", "ada", Map.of("view", "incidents"));
        emitter.emitToolResult("search", "req-1", true, "3 documents", "personal", 42, Map.of("agent", "atlas"));
        emitter.emitToolResult("search", "req-2", false, "timeout", "personal", 5000, null);
        boolean delivered = emitter.close(Duration.ofMillis(300));
        assertFalse(delivered, "the bus is unreachable: not delivered");

        List<String> lines = spooled(spool);
        assertEquals(6, lines.size(), lines.toString());
        EnvelopeParser plugin = new EnvelopeParser(EnvelopeLimits.DEFAULTS);
        for (String line : lines) {
            JsonNode doc = SchemaCheck.JSON.readTree(line);
            assertEquals(List.of(), SchemaCheck.violations(doc), line);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = SchemaCheck.JSON.convertValue(doc, Map.class);
            Envelope e = plugin.parse(map, EnvelopeParser.Mode.ENVELOPE, System.currentTimeMillis(), () -> "unused");
            assertEquals(doc.path("id").asText(), e.id());
            assertEquals('7', doc.path("id").asText().charAt(14), "UUIDv7: " + doc.path("id"));
            assertNotNull(e.dedupeKey(), line);
        }
        JsonNode error = SchemaCheck.JSON.readTree(lines.get(1));
        assertTrue(!lines.get(1).contains("hunter2") && !lines.get(1).contains("pa55"), "secrets never leave: " + lines.get(1));
        assertTrue(error.path("content").asText().contains("IllegalStateException"), "the trace is in the content");
        assertEquals("script.error", error.path("channel").asText());
        assertEquals(0.9, error.path("features").path("urgency").asDouble());
        assertTrue(error.path("features").path("valence").asDouble() < 0);
        assertEquals(16, error.path("metadata").path("fingerprint").asText().length());
        assertEquals("tool:search", SchemaCheck.JSON.readTree(lines.get(4)).path("source").asText());
        assertTrue(SchemaCheck.JSON.readTree(lines.get(5)).path("features").path("valence").asDouble() < 0, "a failed tool is negative");
        assertEquals("ada", SchemaCheck.JSON.readTree(lines.get(3)).path("provenance").path("citizen_id").asText(),
                "the acting citizen is provenance; nothing in the envelope names who should react");
    }

    @Test
    void invalidArgumentsFailAtTheCallNamingTheField() throws Exception {
        try (MembraneEmitter emitter = offline("ui:dashboard", spool).shutdownTimeout(Duration.ofMillis(100)).build()) {
            var bad = assertThrows(dev.membrane.protocol.EnvelopeException.class,
                    () -> emitter.emit("galaxy", "notes", "x"));
            assertEquals("invalid_field:scope", bad.reason());
            bad = assertThrows(dev.membrane.protocol.EnvelopeException.class,
                    () -> emitter.emit("personal", "notes", "x", Map.of("urgency", 1.5), null, null));
            assertEquals("invalid_field:features.urgency", bad.reason());
            bad = assertThrows(dev.membrane.protocol.EnvelopeException.class,
                    () -> emitter.emitMetric("service:db", "cpu", Double.NaN, "personal", null));
            assertEquals("invalid_field:metadata.value", bad.reason());
            assertThrows(dev.membrane.protocol.EnvelopeException.class, () -> MembraneEmitter.builder("nobody").options());
            assertEquals(0, emitter.metrics().queueDepth(), "nothing invalid was queued");
        }
    }

    @Test
    void emitsAfterCloseAreDroppedAndCounted() {
        MembraneEmitter emitter = offline("ui:dashboard", spool).build();
        emitter.close(Duration.ofMillis(100));
        assertNull(emitter.emit("personal", "notes", "too late"));
        assertEquals(1, emitter.metrics().dropped());
    }
}
