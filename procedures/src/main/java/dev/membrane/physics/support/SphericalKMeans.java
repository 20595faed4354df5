package dev.membrane.physics.support;

import java.util.Random;

/**
 * Coarse quantiser of unit vectors for partitioned retrieval (an inverted file, IVF): {@code c} unit centroids by
 * spherical k-means (cosine assignment, mean direction update), seeded, on a sample of rows. Every row is then filed
 * under its nearest centroid; a query scans only the rows filed under its {@code probes} nearest centroids. Pure and
 * deterministic: same rows, same seed, same centroids.
 */
public final class SphericalKMeans {
    private SphericalKMeans() {
    }

    /**
     * @param rows       row-major unit vectors, {@code dims} floats each
     * @param n          rows to use from the start of {@code rows}
     * @param c          centroids wanted (fewer if there are fewer rows)
     * @param iterations Lloyd iterations after a random initialisation from distinct rows
     * @return row-major unit centroids, {@code min(c, n)} of them
     */
    public static float[] train(float[] rows, int n, int dims, int c, int iterations, long seed) {
        int count = Math.min(c, n);
        float[] centroids = new float[count * dims];
        Random r = new Random(seed);
        int[] pick = r.ints(0, n).distinct().limit(count).toArray();
        for (int j = 0; j < count; j++) {
            System.arraycopy(rows, pick[j] * dims, centroids, j * dims, dims);
        }
        int[] assignment = new int[n];
        float[] row = new float[dims];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows, i * dims, row, 0, dims);
                assignment[i] = nearest(centroids, count, row);
            }
            double[] sums = new double[count * dims];
            int[] sizes = new int[count];
            for (int i = 0; i < n; i++) {
                int j = assignment[i];
                sizes[j]++;
                for (int d = 0; d < dims; d++) {
                    sums[j * dims + d] += rows[i * dims + d];
                }
            }
            for (int j = 0; j < count; j++) {
                if (sizes[j] == 0) {
                    // an empty cell takes a random row, so no centroid is wasted
                    System.arraycopy(rows, r.nextInt(n) * dims, centroids, j * dims, dims);
                    continue;
                }
                double norm = 0;
                for (int d = 0; d < dims; d++) {
                    norm += sums[j * dims + d] * sums[j * dims + d];
                }
                norm = Math.sqrt(norm);
                for (int d = 0; d < dims; d++) {
                    centroids[j * dims + d] = norm == 0 ? 0 : (float) (sums[j * dims + d] / norm);
                }
            }
        }
        return centroids;
    }

    /** The centroid with the largest dot product with {@code unit} (ties: the lower index). */
    public static int nearest(float[] centroids, int count, float[] unit) {
        int best = 0;
        float bestDot = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            float d = VectorMath.dotRow(centroids, j, unit);
            if (d > bestDot) {
                bestDot = d;
                best = j;
            }
        }
        return best;
    }

    /** The {@code probes} centroids nearest to {@code unit}, best first. */
    public static int[] probe(float[] centroids, int count, float[] unit, int probes) {
        return probeAll(centroids, count, new float[][]{unit}, probes)[0];
    }

    /**
     * {@link #probe} for each of {@code units}, blocked: each centroid is compared with every query while it is in
     * cache, so a batch reads the centroids once instead of once per query (at 1M rows: 2,000 × 384 floats, 3 MB).
     */
    public static int[][] probeAll(float[] centroids, int count, float[][] units, int probes) {
        TopK[] near = new TopK[units.length];
        for (int q = 0; q < units.length; q++) {
            near[q] = new TopK(Math.min(probes, count));
        }
        for (int j = 0; j < count; j++) {
            for (int q = 0; q < units.length; q++) {
                double d = VectorMath.dotRow(centroids, j, units[q]);
                if (near[q].admits(d)) {
                    near[q].offer(d, j);
                }
            }
        }
        int[][] out = new int[units.length][];
        for (int q = 0; q < units.length; q++) {
            long[] keys = near[q].keysBestFirst();
            out[q] = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                out[q][i] = (int) keys[i];
            }
        }
        return out;
    }
}
