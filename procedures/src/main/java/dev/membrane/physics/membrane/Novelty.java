package dev.membrane.physics.membrane;

import dev.membrane.physics.support.VectorMath;

import java.util.List;
import java.util.function.Function;

/**
 * SPEC §7.1 step 3, Pareto axis {@code novelty = 1 − max cos(content, recent exports)}: how unlike the nodes this
 * membrane recently exported in this direction the flipped node is. Without an embedding only identity counts: 0 when
 * the same node was exported recently, else 1. Nothing to compare with: 1.
 */
public final class Novelty {
    private Novelty() {
    }

    /**
     * @param embeddingOf the embedding of a recently exported node by id ({@code null} when it has none or is gone)
     */
    public static double of(String nodeId, float[] embedding, List<Export> recent, Function<String, float[]> embeddingOf) {
        if (embedding == null) {
            return recent.stream().anyMatch(e -> e.nodeId().equals(nodeId)) ? 0 : 1;
        }
        double best = 0;
        for (Export e : recent) {
            float[] o = e.nodeId().equals(nodeId) ? embedding : embeddingOf.apply(e.nodeId());
            if (o != null && o.length == embedding.length) {
                best = Math.max(best, VectorMath.similarity(VectorMath.cosine(embedding, o)));
            }
        }
        return 1 - best;
    }
}
