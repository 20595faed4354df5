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
 * @param partitionVersion the {@link RowPartitions.Centroids#version()} its rows are filed under, or -1 (not filed)
 * @param nodeStart        filed: the node rows of centroid c are {@code nodeStart[c] .. nodeStart[c+1]-1}; else null
 * @param linkStart        filed: likewise for links; else null
 */
public record EngineSnapshot(String engineId, int dims, String[] nodeIds, String[] nodeElementIds, float[] nodeVectors,
                             String[] linkElementIds, String[] linkFromIds, String[] linkToIds, float[] linkVectors,
                             long generation, long partitionVersion, int[] nodeStart, int[] linkStart) {

    /** A snapshot whose rows are not filed under partitions. */
    public EngineSnapshot(String engineId, int dims, String[] nodeIds, String[] nodeElementIds, float[] nodeVectors,
                          String[] linkElementIds, String[] linkFromIds, String[] linkToIds, float[] linkVectors,
                          long generation) {
        this(engineId, dims, nodeIds, nodeElementIds, nodeVectors, linkElementIds, linkFromIds, linkToIds, linkVectors,
                generation, -1, null, null);
    }

    public int nodeCount() {
        return nodeIds.length;
    }

    public int linkCount() {
        return linkElementIds.length;
    }

    /**
     * The same rows filed under partitions: row k of the copy is row {@code nodeOrder[k]} (links: {@code linkOrder[k]}),
     * so each partition's rows are contiguous from its start offset.
     */
    public EngineSnapshot filed(long version, int[] nodeOrder, int[] nodeStart, int[] linkOrder, int[] linkStart) {
        String[] ids = new String[nodeIds.length];
        String[] eids = new String[nodeIds.length];
        float[] vectors = new float[nodeVectors.length];
        for (int k = 0; k < nodeOrder.length; k++) {
            ids[k] = nodeIds[nodeOrder[k]];
            eids[k] = nodeElementIds[nodeOrder[k]];
            System.arraycopy(nodeVectors, nodeOrder[k] * dims, vectors, k * dims, dims);
        }
        String[] leids = new String[linkElementIds.length];
        String[] from = new String[linkElementIds.length];
        String[] to = new String[linkElementIds.length];
        float[] lvectors = new float[linkVectors.length];
        for (int k = 0; k < linkOrder.length; k++) {
            leids[k] = linkElementIds[linkOrder[k]];
            from[k] = linkFromIds[linkOrder[k]];
            to[k] = linkToIds[linkOrder[k]];
            System.arraycopy(linkVectors, linkOrder[k] * dims, lvectors, k * dims, dims);
        }
        return new EngineSnapshot(engineId, dims, ids, eids, vectors, leids, from, to, lvectors, generation, version,
                nodeStart, linkStart);
    }

    /** Approximate heap held by this snapshot, for the cache bound. */
    public long bytes() {
        return 4L * (nodeVectors.length + linkVectors.length)
                + 96L * (nodeIds.length + linkElementIds.length)
                + (nodeStart == null ? 0 : 4L * (nodeStart.length + linkStart.length));
    }

    /** Similarity (clamped cosine) of node {@code i} to a unit-length query. */
    public double nodeSimilarity(int i, float[] unitQuery) {
        return VectorMath.similarity(VectorMath.dotRow(nodeVectors, i, unitQuery));
    }

    public double linkSimilarity(int i, float[] unitQuery) {
        return VectorMath.similarity(VectorMath.dotRow(linkVectors, i, unitQuery));
    }
}
