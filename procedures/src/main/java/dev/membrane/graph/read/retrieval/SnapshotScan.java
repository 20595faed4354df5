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
        for (int si = 0; si < filed.size(); si++) {
            EngineSnapshot s = filed.get(si);
            if (s.partitionVersion() != c.version()) {
                throw new IllegalStateException("snapshot of " + s.engineId() + " is not filed under centroids " + c.version());
            }
            for (int p : probedPartitions) {
                int[] qs = queriesOf[p];
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
        }
        return tops;
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
