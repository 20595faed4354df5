package dev.membrane.graph.cache;

import dev.membrane.physics.support.VectorMath;

/**
 * A derived, immutable copy of one engine's embeddings (SPEC §14): nodes and links (relationships with an
 * {@code embedding} between two nodes of the engine) as flat {@code float[]} rows, normalised to unit length at
 * build time, so the cosine with a unit query is one dot product and an exact top-k scan is a tight loop with no
 * store access. Entities are kept by element id and looked up only for the winners.
 *
 * @param nodeIds          the nodes' {@code id} properties
 * @param nodeElementIds   for {@code Transaction.getNodeByElementId}
 * @param nodeVectors      row-major, {@code dims} floats per node, each row of unit length (or zero)
 * @param linkElementIds   for {@code Transaction.getRelationshipByElementId}
 * @param linkFromIds      start nodes' ids
 * @param linkToIds        end nodes' ids
 */
public record EngineSnapshot(String engineId, int dims, String[] nodeIds, String[] nodeElementIds, float[] nodeVectors,
                             String[] linkElementIds, String[] linkFromIds, String[] linkToIds, float[] linkVectors,
                             long generation) {

    public int nodeCount() {
        return nodeIds.length;
    }

    public int linkCount() {
        return linkElementIds.length;
    }

    /** Approximate heap held by this snapshot, for the cache bound. */
    public long bytes() {
        return 4L * (nodeVectors.length + linkVectors.length)
                + 96L * (nodeIds.length + linkElementIds.length);
    }

    /** Similarity (clamped cosine) of node {@code i} to a unit-length query. */
    public double nodeSimilarity(int i, float[] unitQuery) {
        return VectorMath.similarity(VectorMath.dotRow(nodeVectors, i, unitQuery));
    }

    public double linkSimilarity(int i, float[] unitQuery) {
        return VectorMath.similarity(VectorMath.dotRow(linkVectors, i, unitQuery));
    }
}
