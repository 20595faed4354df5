package dev.membrane.graph.cache;

import dev.membrane.graph.read.retrieval.SnapshotScan;
import dev.membrane.physics.support.TopK;
import dev.membrane.physics.support.VectorMath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filing reorders a snapshot's rows by partition without losing or changing one; probing every partition is exact. */
class RowPartitionsTest {
    private static final int DIMS = 16;

    /** Each snapshot filed under {@code c}, in order. */
    private static List<EngineSnapshot> fileAll(RowPartitions parts, List<EngineSnapshot> snaps, RowPartitions.Centroids c,
                                                EngineSnapshots cache) {
        List<EngineSnapshot> filed = new ArrayList<>();
        snaps.forEach(s -> filed.add(parts.file(s, c, cache)));
        return filed;
    }

    private static EngineSnapshot snapshot(String engine, int nodes, int links, Random r) {
        String[] ids = new String[nodes];
        String[] eids = new String[nodes];
        float[] v = new float[nodes * DIMS];
        for (int i = 0; i < nodes; i++) {
            ids[i] = engine + "-" + i;
            eids[i] = "e:" + ids[i];
            System.arraycopy(unitRandom(r), 0, v, i * DIMS, DIMS);
        }
        String[] lids = new String[links];
        String[] from = new String[links];
        String[] to = new String[links];
        float[] lv = new float[links * DIMS];
        for (int i = 0; i < links; i++) {
            lids[i] = "l:" + engine + "-" + i;
            from[i] = ids[i % nodes];
            to[i] = ids[(i + 1) % nodes];
            System.arraycopy(unitRandom(r), 0, lv, i * DIMS, DIMS);
        }
        return new EngineSnapshot(engine, DIMS, ids, eids, v, lids, from, to, lv, 0);
    }

    private static float[] unitRandom(Random r) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) r.nextGaussian();
        }
        return VectorMath.unit(v);
    }

    @Test
    void filingKeepsEveryRowAndMakesPartitionsContiguous() {
        Random r = new Random(4);
        EngineSnapshots cache = new EngineSnapshots();
        List<EngineSnapshot> snaps = List.of(snapshot("a", 300, 40, r), snapshot("b", 200, 0, r));
        RowPartitions parts = cache.partitions();
        RowPartitions.Centroids c = parts.centroids(snaps, 540, DIMS, new RowPartitions.Training(0, 1_000, 4, 7));
        assertEquals(Math.round(2 * Math.sqrt(540)), c.count(), "2·√rows partitions");
        for (EngineSnapshot s : snaps) {
            EngineSnapshot f = parts.file(s, c, cache);
            assertEquals(c.version(), f.partitionVersion());
            assertSame(f, parts.file(f, c, cache), "a filed snapshot is not filed again");
            assertEquals(Set.of(s.nodeIds()), Set.of(f.nodeIds()));
            assertEquals(Set.of(s.linkElementIds()), Set.of(f.linkElementIds()));
            assertEquals(s.nodeCount(), f.nodeStart()[c.count()]);
            assertEquals(s.linkCount(), f.linkStart()[c.count()]);
            List<String> original = Arrays.asList(s.nodeIds());
            for (int k = 0; k < f.nodeCount(); k++) { // the row moved with its id and element id
                int i = original.indexOf(f.nodeIds()[k]);
                assertEquals(s.nodeElementIds()[i], f.nodeElementIds()[k]);
                assertArrayEquals(Arrays.copyOfRange(s.nodeVectors(), i * DIMS, (i + 1) * DIMS),
                        Arrays.copyOfRange(f.nodeVectors(), k * DIMS, (k + 1) * DIMS));
            }
            for (int p = 0; p < c.count(); p++) { // each row sits in its nearest centroid's range
                for (int k = f.nodeStart()[p]; k < f.nodeStart()[p + 1]; k++) {
                    float[] row = Arrays.copyOfRange(f.nodeVectors(), k * DIMS, (k + 1) * DIMS);
                    assertEquals(p, dev.membrane.physics.support.SphericalKMeans.nearest(c.vectors(), c.count(), row));
                }
            }
        }
    }

    @Test
    void probingEveryPartitionFindsExactlyWhatTheExactScanFinds() {
        Random r = new Random(8);
        EngineSnapshots cache = new EngineSnapshots();
        List<EngineSnapshot> snaps = List.of(snapshot("a", 250, 30, r), snapshot("b", 250, 30, r));
        RowPartitions parts = cache.partitions();
        RowPartitions.Centroids c = parts.centroids(snaps, 560, DIMS, new RowPartitions.Training(0, 1_000, 4, 7));
        List<EngineSnapshot> filed = fileAll(parts, snaps, c, cache);
        float[][] queries = {unitRandom(r), unitRandom(r), unitRandom(r)};
        TopK[] exact = SnapshotScan.exact(filed, queries, 20);
        TopK[] all = SnapshotScan.partitioned(filed, queries, 20, c, c.count());
        TopK[] few = SnapshotScan.partitioned(filed, queries, 20, c, 2);
        for (int q = 0; q < queries.length; q++) {
            assertArrayEquals(exact[q].keysBestFirst(), all[q].keysBestFirst(), "every partition probed = exact");
            Set<Long> kept = new HashSet<>();
            for (long k : few[q].keysBestFirst()) {
                kept.add(k);
            }
            assertTrue(few[q].size() <= 20 && !kept.isEmpty());
        }
    }

    /**
     * The contiguous int8 blocks find what the float rows find: the same keys, in the same order, with the float rows'
     * similarities (the re-score), for few probes and for all (then exact).
     */
    @Test
    void theBlocksFindWhatTheFilledFloatRowsFind() {
        Random r = new Random(12);
        EngineSnapshots cache = new EngineSnapshots();
        List<EngineSnapshot> snaps = new ArrayList<>();
        for (int e = 0; e < 30; e++) {
            snaps.add(snapshot("e" + e, 5 + r.nextInt(40), e % 3 == 0 ? 4 : 0, r)); // small engines: many empty cells
        }
        int rows = snaps.stream().mapToInt(x -> x.nodeCount() + x.linkCount()).sum();
        RowPartitions parts = cache.partitions();
        RowPartitions.Centroids c = parts.centroids(snaps, rows, DIMS, new RowPartitions.Training(24, 1_000, 4, 7));
        List<EngineSnapshot> filed = fileAll(parts, snaps, c, cache);
        PartitionBlocks blocks = parts.blocks(filed, c, cache);
        int held = 0;
        for (int p = 0; p < blocks.partitions(); p++) {
            held += blocks.rows(p);
        }
        assertEquals(rows, held, "every row once");
        float[][] queries = new float[40][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = unitRandom(r);
        }
        TopK[] exact = SnapshotScan.exact(filed, queries, 16);
        for (int probes : new int[]{1, 3, c.count()}) {
            TopK[] floats = SnapshotScan.partitioned(filed, queries, 16, c, probes);
            TopK[] codes = SnapshotScan.partitioned(blocks, filed, queries, 16, 32, c, probes);
            for (int q = 0; q < queries.length; q++) {
                assertArrayEquals(floats[q].keysBestFirst(), codes[q].keysBestFirst(), "query " + q + ", " + probes + " probes");
                int[] slots = codes[q].bestFirst();
                int[] floatSlots = floats[q].bestFirst();
                for (int i = 0; i < slots.length; i++) {
                    assertEquals(floats[q].similarity(floatSlots[i]), codes[q].similarity(slots[i]), 0.0, "re-scored on the float rows");
                }
                if (probes == c.count()) {
                    assertArrayEquals(exact[q].keysBestFirst(), codes[q].keysBestFirst(), "every partition probed = exact");
                }
            }
        }
    }

    /**
     * A replaced snapshot's rows leave the blocks and its successor's arrive; partitions neither touches keep their
     * arrays; another scope's engines stay while cached, and a search over a scope reads only that scope's rows.
     */
    @Test
    void theBlocksFollowReplacedSnapshotsAndKeepOtherScopes() {
        Random r = new Random(21);
        EngineSnapshots cache = new EngineSnapshots();
        List<EngineSnapshot> snaps = new ArrayList<>();
        for (int e = 0; e < 12; e++) {
            snaps.add(snapshot("e" + e, 30, 0, r));
        }
        RowPartitions parts = cache.partitions();
        RowPartitions.Centroids c = parts.centroids(snaps, 360, DIMS, new RowPartitions.Training(40, 1_000, 4, 7));
        List<EngineSnapshot> filed = new ArrayList<>();
        snaps.forEach(s -> {
            EngineSnapshot f = parts.file(s, c, cache);
            cache.offer(f, Long.MAX_VALUE);
            filed.add(cache.cached(s.engineId()));
        });
        PartitionBlocks first = parts.blocks(filed, c, cache);
        assertSame(first, parts.blocks(filed, c, cache), "unchanged snapshots: the same blocks");

        // engine e3 changes: a new snapshot, filed, replaces it
        EngineSnapshot old = filed.get(3);
        EngineSnapshot fresh = parts.file(snapshot("e3", 30, 0, r), c, cache);
        List<EngineSnapshot> next = new ArrayList<>(filed);
        next.set(3, fresh);
        PartitionBlocks second = parts.blocks(next, c, cache);
        assertEquals(-1, second.groupOf(old), "the old rows are gone");
        int shared = 0;
        for (int p = 0; p < c.count(); p++) {
            boolean touched = old.nodeStart()[p + 1] > old.nodeStart()[p] || fresh.nodeStart()[p + 1] > fresh.nodeStart()[p];
            if (!touched) {
                assertSame(first.codes(p), second.codes(p), "partition " + p + " untouched: shared");
                shared++;
            }
        }
        assertTrue(shared > 0, "some partitions were untouched");
        float[][] queries = {unitRandom(r), unitRandom(r), unitRandom(r)};
        TopK[] want = SnapshotScan.exact(next, queries, 10);
        TopK[] got = SnapshotScan.partitioned(second, next, queries, 10, 20, c, c.count());
        for (int q = 0; q < queries.length; q++) {
            assertArrayEquals(want[q].keysBestFirst(), got[q].keysBestFirst());
        }

        // a search over a sub-scope: the other engines' rows stay (cached) but are not offered
        List<EngineSnapshot> sub = next.subList(0, 4);
        PartitionBlocks third = parts.blocks(sub, c, cache);
        assertSame(second, third, "a sub-scope of the blocks needs no update");
        TopK[] subWant = SnapshotScan.exact(sub, queries, 10);
        TopK[] subGot = SnapshotScan.partitioned(third, sub, queries, 10, 20, c, c.count());
        for (int q = 0; q < queries.length; q++) {
            assertArrayEquals(subWant[q].keysBestFirst(), subGot[q].keysBestFirst());
        }
    }

    /** A snapshot filed before its transaction committed is cached filed, so no engine is filed twice. */
    @Test
    void aSnapshotFiledBeforeItsCommitIsCachedFiled() {
        Random r = new Random(2);
        EngineSnapshots cache = new EngineSnapshots();
        EngineSnapshot fresh = snapshot("a", 200, 0, r);
        RowPartitions parts = cache.partitions();
        RowPartitions.Centroids c = parts.centroids(List.of(fresh), 200, DIMS, new RowPartitions.Training(0, 1_000, 4, 7));
        EngineSnapshot filed = parts.file(fresh, c, cache);
        assertEquals(null, cache.cached("a"), "nothing is cached before the commit");
        cache.offer(fresh, Long.MAX_VALUE); // after commit, the plain build is offered
        assertSame(filed, cache.cached("a"), "the filed copy is what the cache keeps");
        assertSame(filed, parts.file(cache.cached("a"), c, cache), "and it is not filed again");
    }
}
