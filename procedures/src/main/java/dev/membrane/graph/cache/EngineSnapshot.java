package dev.membrane.graph.cache;

import dev.membrane.physics.support.VectorMath;

/**
 * A derived, immutable copy of one engine's embeddings (SPEC §14): nodes and links (relationships with an
 * {@code embedding} between two nodes of the engine) as flat {@code float[]} rows with precomputed norms, so an
 * exact top-k scan is a tight loop with no store access. Entities are kept by element id and looked up only for
 * the winners.
 *
 * @param nodeIds          the nodes' {@code id} properties
 * @param nodeElementIds   for {@code Transaction.getNodeByElementId}
 * @param nodeVectors      row-major, {@code dims} floats per node
 * @param linkElementIds   for {@code Transaction.getRelationshipByElementId}
 * @param linkFrom         index into the node arrays of each link's start node, or −1 if it has no embedding row
 * @param linkFromIds      start nodes' ids
 * @param linkToIds        end nodes' ids
 */
public record EngineSnapshot(String engineId, int dims, String[] nodeIds, String[] nodeElementIds, float[] nodeVectors,
                             float[] nodeNorms, String[] linkElementIds, String[] linkFromIds, String[] linkToIds,
                             float[] linkVectors, float[] linkNorms, long generation) {

    public int nodeCount() {
        return nodeIds.length;
    }

    public int linkCount() {
        return linkElementIds.length;
    }

    /** Approximate heap held by this snapshot, for the cache bound. */
    public long bytes() {
        return 4L * (nodeVectors.length + linkVectors.length + nodeNorms.length + linkNorms.length)
                + 96L * (nodeIds.length + linkElementIds.length);
    }

    /** Similarity (clamped cosine) of node {@code i} to a query of norm {@code qn}. */
    public double nodeSimilarity(int i, float[] q, double qn) {
        return VectorMath.similarity(rowCosine(nodeVectors, nodeNorms, i, q, qn));
    }

    public double linkSimilarity(int i, float[] q, double qn) {
        return VectorMath.similarity(rowCosine(linkVectors, linkNorms, i, q, qn));
    }

    private double rowCosine(float[] rows, float[] norms, int i, float[] q, double qn) {
        double norm = norms[i];
        if (norm == 0 || qn == 0) {
            return 0;
        }
        int base = i * dims;
        double dot = 0;
        for (int d = 0; d < dims; d++) {
            dot += rows[base + d] * q[d];
        }
        return dot / (norm * qn);
    }
}
