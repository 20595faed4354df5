package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.cache.EngineSnapshot;
import dev.membrane.graph.cache.PartitionBlocks;
import dev.membrane.graph.cache.RowPartitions;
import dev.membrane.graph.read.LinkMatch;
import dev.membrane.graph.read.NodeRef;
import dev.membrane.physics.support.RowCodes;
import dev.membrane.physics.support.SphericalKMeans;
import dev.membrane.physics.support.TopK;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-k search of unit queries over the rows (nodes and links) of engine snapshots, one {@link TopK} per query
 * across all the snapshots (the global top k of a union is the top k of the per-engine top k's, so one heap per query
 * suffices; keys are (snapshot, row), links as negative rows).
 * <ul>
 *   <li>{@link #exact}: every row, blocked: each row is compared with all of a batch's queries while it is in
 *   cache, instead of streaming every snapshot once per query.</li>
 *   <li>{@link #partitioned(PartitionBlocks, List, float[][], int, int, RowPartitions.Centroids, int)}: what
 *   retrieval uses over large scopes: only the rows under each query's {@code probes} nearest centroids, read from
 *   {@link PartitionBlocks} (a partition's rows of every engine contiguous, int8), blocked per partition (the queries
 *   that probe a partition are scored together on its rows), the best candidates re-scored on the float rows.</li>
 *   <li>{@link #partitioned(List, float[][], int, RowPartitions.Centroids, int)}: the same probes over the filed
 *   snapshots' float rows, engine by engine: the reference the blocks are measured and tested against.</li>
 * </ul>
 * Only the winners are looked up in the store ({@link #hits}).
 */
public final class SnapshotScan {
    private SnapshotScan() {
    }

    public static TopK[] exact(List<EngineSnapshot> snaps, float[][] units, int k) {
        TopK[] tops = tops(units.length, k);
        for (int si = 0; si < snaps.size(); si++) {
            EngineSnapshot s = snaps.get(si);
            for (int i = 0; i < s.nodeCount(); i++) {
                for (int q = 0; q < units.length; q++) {
                    offer(tops[q], s.nodeSimilarity(i, units[q]), si, i);
                }
            }
            for (int i = 0; i < s.linkCount(); i++) {
                for (int q = 0; q < units.length; q++) {
                    offer(tops[q], s.linkSimilarity(i, units[q]), si, -1 - i);
                }
            }
        }
        return tops;
    }

    /**
     * @param filed snapshots filed under {@code c} ({@link RowPartitions#file}): each partition's rows are contiguous
     */
    public static TopK[] partitioned(List<EngineSnapshot> filed, float[][] units, int k, RowPartitions.Centroids c, int probes) {
        TopK[] tops = tops(units.length, k);
        int[][] queriesOf = queriesOf(units, c, probes);
        // only the partitions some query probes (a single query: `probes` of them, not every centroid per snapshot)
        int[] probedPartitions = java.util.stream.IntStream.range(0, c.count()).filter(p -> queriesOf[p].length > 0).toArray();
        for (int si = 0; si < filed.size(); si++) {
            EngineSnapshot s = filed.get(si);
            checkFiled(s, c);
            for (int p : probedPartitions) {
                scanPartition(s, si, p, queriesOf[p], units, tops);
            }
        }
        return tops;
    }

    private static void checkFiled(EngineSnapshot s, RowPartitions.Centroids c) {
        if (s.partitionVersion() != c.version()) {
            throw new IllegalStateException("snapshot of " + s.engineId() + " is not filed under centroids " + c.version());
        }
    }

    /** For each partition of {@code c}, the queries that probe it (each query its {@code probes} nearest centroids). */
    private static int[][] queriesOf(float[][] units, RowPartitions.Centroids c, int probes) {
        int[] counts = new int[c.count()];
        int[][] probed = SphericalKMeans.probeAll(c.vectors(), c.count(), units, probes);
        for (int[] ps : probed) {
            for (int p : ps) {
                counts[p]++;
            }
        }
        int[][] queriesOf = new int[c.count()][];
        for (int p = 0; p < c.count(); p++) {
            queriesOf[p] = new int[counts[p]];
        }
        int[] fill = new int[c.count()];
        for (int q = 0; q < units.length; q++) {
            for (int p : probed[q]) {
                queriesOf[p][fill[p]++] = q;
            }
        }
        return queriesOf;
    }

    /**
     * The partitioned search over {@link PartitionBlocks}: each probed partition's rows of every engine in one
     * contiguous int8 array, scored for all the queries that probe it; the best {@code candidates} per query by those
     * scores are then re-scored on their snapshots' float rows, and the top {@code k} of those kept. Rows of engines
     * not in {@code filed} (the blocks may hold another scope's) are skipped. Keys are (position in {@code filed},
     * row), as {@link #exact}'s, so {@link #hits} reads them alike.
     *
     * @param filed      the snapshots searched, each held by {@code blocks}
     * @param candidates rows kept per query by the int8 score for the exact re-score ({@code >= k})
     */
    public static TopK[] partitioned(PartitionBlocks blocks, List<EngineSnapshot> filed, float[][] units, int k,
                                     int candidates, RowPartitions.Centroids c, int probes) {
        if (blocks.version() != c.version()) {
            throw new IllegalStateException("blocks of centroids " + blocks.version() + ", not " + c.version());
        }
        int[] position = new int[blocks.groups()];
        java.util.Arrays.fill(position, -1);
        for (int i = 0; i < filed.size(); i++) {
            int g = blocks.groupOf(filed.get(i));
            if (g < 0) {
                throw new IllegalStateException("snapshot of " + filed.get(i).engineId() + " is not in the blocks");
            }
            position[g] = i;
        }
        int[][] queriesOf = queriesOf(units, c, probes);
        TopK[] approx = tops(units.length, Math.max(k, candidates));
        for (int p = 0; p < c.count(); p++) {
            int[] qs = queriesOf[p];
            if (qs.length == 0) {
                continue;
            }
            byte[] codes = blocks.codes(p);
            float[] scales = blocks.scales(p);
            int[] groups = blocks.rowGroups(p);
            for (int i = 0; i < groups.length; i++) {
                if (position[groups[i]] < 0) {
                    continue;
                }
                for (int q : qs) {
                    offer(approx[q], RowCodes.dot(codes, i, scales[i], units[q]), p, i);
                }
            }
        }
        TopK[] tops = tops(units.length, k);
        for (int q = 0; q < units.length; q++) {
            TopK a = approx[q];
            for (int slot = 0; slot < a.size(); slot++) {
                int p = TopK.group(a.key(slot));
                int i = TopK.row(a.key(slot));
                int g = blocks.rowGroups(p)[i];
                int row = blocks.snapshotRows(p)[i];
                EngineSnapshot s = blocks.group(g);
                double sim = row >= 0 ? s.nodeSimilarity(row, units[q]) : s.linkSimilarity(-1 - row, units[q]);
                offer(tops[q], sim, position[g], row);
            }
        }
        return tops;
    }

    /** Offers partition {@code p}'s rows of snapshot {@code s} (position {@code si}) to the queries {@code qs}. */
    private static void scanPartition(EngineSnapshot s, int si, int p, int[] qs, float[][] units, TopK[] tops) {
        for (int i = s.nodeStart()[p]; i < s.nodeStart()[p + 1]; i++) {
            for (int q : qs) {
                offer(tops[q], s.nodeSimilarity(i, units[q]), si, i);
            }
        }
        for (int i = s.linkStart()[p]; i < s.linkStart()[p + 1]; i++) {
            for (int q : qs) {
                offer(tops[q], s.linkSimilarity(i, units[q]), si, -1 - i);
            }
        }
    }

    private static TopK[] tops(int n, int k) {
        TopK[] tops = new TopK[n];
        for (int q = 0; q < n; q++) {
            tops[q] = new TopK(k);
        }
        return tops;
    }

    private static void offer(TopK top, double similarity, int snapshot, int row) {
        if (similarity > 0 && top.admits(similarity)) { // cannot enter the top k: one comparison, no allocation
            top.offer(similarity, TopK.key(snapshot, row));
        }
    }

    /** The kept rows as hits: links looked up by element id now, nodes when first read ({@link NodeRef}). */
    public static List<Hit> hits(Transaction tx, List<EngineSnapshot> snaps, TopK top) {
        List<Hit> hits = new ArrayList<>(top.size());
        for (int slot : top.bestFirst()) {
            long key = top.key(slot);
            EngineSnapshot s = snaps.get(TopK.group(key));
            int i = TopK.row(key);
            double sim = top.similarity(slot);
            if (i >= 0) {
                hits.add(new Hit(s.engineId(), s.nodeIds()[i], sim, NodeRef.lazy(tx, s.nodeElementIds()[i]), null));
            } else {
                int l = -1 - i;
                Relationship r = tx.getRelationshipByElementId(s.linkElementIds()[l]);
                LinkMatch link = new LinkMatch(s.engineId(), r, s.linkElementIds()[l], r.getStartNode(), s.linkFromIds()[l],
                        r.getEndNode(), s.linkToIds()[l], sim);
                hits.add(new Hit(s.engineId(), link.linkId(), sim, null, link));
            }
        }
        return hits;
    }
}
