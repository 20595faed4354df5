package dev.membrane.protocol;

import java.util.List;
import java.util.Map;

/**
 * A validated envelope (SPEC §3). Built only by {@link EnvelopeParser}, so every instance obeys the schema.
 *
 * @param id               idempotency key; for a stimulus given to {@code membrane.inject} without one, generated
 * @param tsMillis         the envelope's time (epoch ms); {@code now} when absent
 * @param scope            addressed level, {@code null} only for a bare {@code membrane.inject} stimulus
 * @param embedding        {@code null} when absent (retrieval then falls back to full-text)
 * @param ttlMs            {@code 0} when absent
 * @param dedupeKey        {@code null} when absent
 * @param targetNodes      empty when absent
 */
public record Envelope(
        String id,
        long tsMillis,
        Scope scope,
        String source,
        String channel,
        String content,
        float[] embedding,
        Features features,
        Origin origin,
        int originChainDepth,
        long ttlMs,
        String dedupeKey,
        List<String> targetNodes,
        Map<String, Object> provenance,
        Map<String, Object> metadata) {

    public boolean hasEmbedding() {
        return embedding != null;
    }

    public boolean hasTargets() {
        return !targetNodes.isEmpty();
    }
}
