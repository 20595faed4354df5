package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.cache.EngineSnapshot;
import dev.membrane.graph.cache.RowPartitions;
import dev.membrane.graph.read.LinkMatch;
import dev.membrane.graph.read.NodeRef;
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
 *   <li>{@link #partitioned}: only the rows filed under each query's {@code probes} nearest centroids
 *   ({@link RowPartitions}; contiguous in a filed snapshot), blocked per partition: the queries that probe a
 *   partition are scored together on its rows.</li>
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
        return partitioned(filed, units, k, c, probes, null);
    }

    /**
     * For each partition of {@code c}, the positions in {@code filed} of the snapshots that have rows in it. A scan of
     * many queries visits each probed partition's snapshots from this list instead of asking every snapshot for every
     * probed partition: at 1M nodes (2,000 engines × 2,000 partitions) a query's 8 probes meant 16,000 visits of
     * mostly empty ranges, each a cache miss on the snapshot's offsets, against ~8 × 250 snapshots with rows. Building
     * it reads every snapshot's offsets once, so it pays for a batch, not for one query.
     */
    public static int[][] occupancy(List<EngineSnapshot> filed, RowPartitions.Centroids c) {
        int partitions = c.count();
        int[] counts = new int[partitions];
        for (EngineSnapshot s : filed) {
            checkFiled(s, c);
            for (int p = 0; p < partitions; p++) {
                if (s.nodeStart()[p + 1] > s.nodeStart()[p] || s.linkStart()[p + 1] > s.linkStart()[p]) {
                    counts[p]++;
                }
            }
        }
        int[][] out = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            out[p] = new int[counts[p]];
        }
        int[] fill = new int[partitions];
        for (int si = 0; si < filed.size(); si++) {
            EngineSnapshot s = filed.get(si);
            for (int p = 0; p < partitions; p++) {
                if (s.nodeStart()[p + 1] > s.nodeStart()[p] || s.linkStart()[p + 1] > s.linkStart()[p]) {
                    out[p][fill[p]++] = si;
                }
            }
        }
        return out;
    }

    private static void checkFiled(EngineSnapshot s, RowPartitions.Centroids c) {
        if (s.partitionVersion() != c.version()) {
            throw new IllegalStateException("snapshot of " + s.engineId() + " is not filed under centroids " + c.version());
        }
    }

    /**
     * @param occupancy {@link #occupancy} of {@code filed} under {@code c}, or null to visit every snapshot for every
     *                  probed partition (cheaper for a single query)
     */
    public static TopK[] partitioned(List<EngineSnapshot> filed, float[][] units, int k, RowPartitions.Centroids c, int probes,
                                     int[][] occupancy) {
        TopK[] tops = tops(units.length, k);
        // which queries probe each partition
        int[] counts = new int[c.count()];
        int[][] probed = new int[units.length][];
        for (int q = 0; q < units.length; q++) {
            probed[q] = SphericalKMeans.probe(c.vectors(), c.count(), units[q], probes);
            for (int p : probed[q]) {
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
        // only the partitions some query probes (a single query: `probes` of them, not every centroid per snapshot)
        int[] probedPartitions = java.util.stream.IntStream.range(0, c.count()).filter(p -> counts[p] > 0).toArray();
        if (occupancy != null) {
            for (int p : probedPartitions) {
                for (int si : occupancy[p]) {
                    scanPartition(filed.get(si), si, p, queriesOf[p], units, tops);
                }
            }
            return tops;
        }
        for (int si = 0; si < filed.size(); si++) {
            EngineSnapshot s = filed.get(si);
            checkFiled(s, c);
            for (int p : probedPartitions) {
                scanPartition(s, si, p, queriesOf[p], units, tops);
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
