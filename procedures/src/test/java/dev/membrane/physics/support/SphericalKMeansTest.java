package dev.membrane.physics.support;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphericalKMeansTest {
    private static final int DIMS = 32;

    /** Rows around {@code topics} well-separated directions. */
    private static float[] clustered(int topics, int perTopic, Random r, int[] topicOf) {
        float[][] centres = new float[topics][];
        for (int t = 0; t < topics; t++) {
            centres[t] = gaussian(r, 1);
        }
        float[] rows = new float[topics * perTopic * DIMS];
        for (int i = 0; i < topics * perTopic; i++) {
            int t = i % topics;
            topicOf[i] = t;
            float[] noise = gaussian(r, 0.3);
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = VectorMath.unit(centres[t])[d] + noise[d] / (float) Math.sqrt(DIMS);
            }
            System.arraycopy(VectorMath.unit(v), 0, rows, i * DIMS, DIMS);
        }
        return rows;
    }

    private static float[] gaussian(Random r, double sigma) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (r.nextGaussian() * sigma);
        }
        return v;
    }

    @Test
    void findsSeparatedClustersAndIsDeterministic() {
        int[] topicOf = new int[8 * 50];
        float[] rows = clustered(8, 50, new Random(5), topicOf);
        float[] c = SphericalKMeans.train(rows, 400, DIMS, 8, 10, 42);
        assertArrayEquals(c, SphericalKMeans.train(rows, 400, DIMS, 8, 10, 42), "same seed, same centroids");
        // rows of one topic share a cell far more often than rows of different topics
        int[] cell = new int[400];
        float[] row = new float[DIMS];
        for (int i = 0; i < 400; i++) {
            System.arraycopy(rows, i * DIMS, row, 0, DIMS);
            cell[i] = SphericalKMeans.nearest(c, 8, row);
        }
        int same = 0;
        int pairs = 0;
        for (int i = 0; i < 400; i += 7) {
            for (int j = i + 8; j < 400; j += 8) {
                if (topicOf[i] == topicOf[j]) {
                    pairs++;
                    same += cell[i] == cell[j] ? 1 : 0;
                }
            }
        }
        assertTrue(same > 0.9 * pairs, same + " of " + pairs);
        for (int j = 0; j < 8; j++) {
            float[] centroid = new float[DIMS];
            System.arraycopy(c, j * DIMS, centroid, 0, DIMS);
            assertEquals(1.0, VectorMath.norm(centroid), 1e-4, "unit centroids");
        }
    }

    @Test
    void probesAreTheNearestCentroidsBestFirst() {
        int[] topicOf = new int[6 * 20];
        float[] rows = clustered(6, 20, new Random(9), topicOf);
        float[] c = SphericalKMeans.train(rows, 120, DIMS, 6, 5, 1);
        float[] q = new float[DIMS];
        System.arraycopy(rows, 0, q, 0, DIMS);
        int[] probes = SphericalKMeans.probe(c, 6, q, 3);
        assertEquals(3, probes.length);
        assertEquals(SphericalKMeans.nearest(c, 6, q), probes[0]);
        assertTrue(VectorMath.dotRow(c, probes[0], q) >= VectorMath.dotRow(c, probes[1], q));
        assertTrue(VectorMath.dotRow(c, probes[1], q) >= VectorMath.dotRow(c, probes[2], q));
    }

    /** Probing a batch centroid-major gives each query exactly what probing it alone does. */
    @Test
    void aBatchIsProbedAsItsQueriesAlone() {
        int[] topicOf = new int[10 * 20];
        float[] rows = clustered(10, 20, new Random(5), topicOf);
        float[] c = SphericalKMeans.train(rows, 200, DIMS, 10, 5, 1);
        float[][] queries = new float[30][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = new float[DIMS];
            System.arraycopy(rows, (q * 7 % 200) * DIMS, queries[q], 0, DIMS);
        }
        int[][] all = SphericalKMeans.probeAll(c, 10, queries, 4);
        for (int q = 0; q < queries.length; q++) {
            float[] alone = queries[q];
            int[] nearestFirst = new int[4];
            boolean[] taken = new boolean[10];
            for (int i = 0; i < 4; i++) { // by hand: the best not yet taken, lower index on ties
                int best = -1;
                for (int j = 0; j < 10; j++) {
                    if (!taken[j] && (best < 0 || VectorMath.dotRow(c, j, alone) > VectorMath.dotRow(c, best, alone))) {
                        best = j;
                    }
                }
                taken[best] = true;
                nearestFirst[i] = best;
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(nearestFirst, all[q], "query " + q);
        }
    }
}
