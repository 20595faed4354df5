package dev.membrane.graph.cache;

import dev.membrane.physics.support.SphericalKMeans;

import java.util.List;

/**
 * The partitioned index over snapshot rows (an inverted file, IVF; SPEC §14 sub-linear retrieval): one set of
 * centroids per database, trained on a sample of the rows of the first search large enough to need it, and each
 * {@link EngineSnapshot} <em>filed</em>: its rows reordered so that the rows nearest each centroid are contiguous
 * (a query then streams its partitions' rows instead of jumping through the whole snapshot, whose random row reads
 * were bound by memory latency). The filed snapshot replaces the plain one in the cache (same content, same
 * generation), so filing costs no second copy of the vectors.
 * <p>Maintained the way the snapshots are: a commit that changes an engine replaces its snapshot, and the new one is
 * filed on first use (one engine's rows × the centroids); the centroids are trained again when the rows searched
 * have grown past twice what they were trained on, or the dimensions changed. Nothing is stored: a restart trains
 * again on first use.
 * <p>Concurrency: training is guarded by {@code this}; centroids and snapshots are immutable (two transactions may
 * file the same snapshot at once: both copies are equal, the cache keeps one).
 */
public final class RowPartitions {

    /** Unit centroids, row-major; {@code version} changes whenever they are trained again. */
    public record Centroids(float[] vectors, int count, int dims, long version, long trainedForRows) {
    }

    /** Seed of the centroids' k-means: the same graph gives the same partitions, hence the same results. */
    public static final long SEED = 20_261_201L;

    /** How the centroids are trained (the plugin's start settings). */
    public record Training(int lists, int sample, int iterations, long seed) {
        public static Training of(dev.membrane.config.MembraneConfig config) {
            return new Training(config.intValue(dev.membrane.config.ConfigKey.PARTITION_LISTS),
                    config.intValue(dev.membrane.config.ConfigKey.PARTITION_TRAINING_SAMPLE),
                    config.intValue(dev.membrane.config.ConfigKey.PARTITION_TRAINING_ITERATIONS), SEED);
        }
    }

    private volatile Centroids centroids;
    private long version;
    private volatile PartitionBlocks blocks;

    /** The centroids for a search over {@code snaps} ({@code rows} rows in all), trained now if needed. */
    public synchronized Centroids centroids(List<EngineSnapshot> snaps, long rows, int dims, Training training) {
        Centroids c = centroids;
        if (c != null && c.dims() == dims && rows <= 2 * c.trainedForRows()) {
            return c;
        }
        int want = training.lists() > 0 ? training.lists() : (int) Math.max(16, Math.round(2 * Math.sqrt(rows)));
        float[] sample = sample(snaps, rows, dims, training.sample());
        int n = sample.length / dims;
        float[] vectors = SphericalKMeans.train(sample, n, dims, want, training.iterations(), training.seed());
        c = new Centroids(vectors, vectors.length / dims, dims, ++version, rows);
        centroids = c;
        return c;
    }

    /**
     * {@code s} filed under {@code c}'s centroids: itself when it already is, else a reordered copy that the cache
     * keeps in its place (so each engine is filed once per centroid version, and no second copy stays alive).
     */
    public EngineSnapshot file(EngineSnapshot s, Centroids c, EngineSnapshots cache) {
        if (s.partitionVersion() == c.version()) {
            return s;
        }
        int[] nodeCell = cells(s.nodeVectors(), s.nodeCount(), c);
        int[] linkCell = cells(s.linkVectors(), s.linkCount(), c);
        EngineSnapshot filed = s.filed(c.version(), order(nodeCell, c.count()), starts(nodeCell, c.count()),
                order(linkCell, c.count()), starts(linkCell, c.count()));
        cache.replace(s, filed);
        return filed;
    }

    /**
     * The rows of {@code filed} (each filed under {@code c}) gathered per partition ({@link PartitionBlocks}): the
     * current blocks when they hold all of them, else updated now. Other engines' rows stay while their snapshot is the
     * cached one (another scope's search will need them); a replaced or evicted snapshot's rows go.
     */
    public PartitionBlocks blocks(List<EngineSnapshot> filed, Centroids c, EngineSnapshots cache) {
        PartitionBlocks b = blocks;
        if (b != null && b.covers(filed, c.version())) {
            return b;
        }
        synchronized (this) {
            b = PartitionBlocks.update(blocks, filed, c, s -> cache.cached(s.engineId()) == s);
            blocks = b;
            return b;
        }
    }

    private static int[] cells(float[] rows, int n, Centroids c) {
        int dims = c.dims();
        int[] cell = new int[n];
        float[] row = new float[dims];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, i * dims, row, 0, dims);
            cell[i] = SphericalKMeans.nearest(c.vectors(), c.count(), row);
        }
        return cell;
    }

    /** Start offset of each cell's rows in cell order ({@code count + 1} entries). */
    private static int[] starts(int[] cell, int count) {
        int[] start = new int[count + 1];
        for (int x : cell) {
            start[x + 1]++;
        }
        for (int j = 0; j < count; j++) {
            start[j + 1] += start[j];
        }
        return start;
    }

    /** The rows in cell order (stable within a cell): order[k] = the original index of the k-th row. */
    private static int[] order(int[] cell, int count) {
        int[] fill = starts(cell, count);
        int[] order = new int[cell.length];
        for (int i = 0; i < cell.length; i++) {
            order[fill[cell[i]]++] = i;
        }
        return order;
    }

    /** Up to {@code max} node rows, spread evenly over all snapshots (every step-th row), for training. */
    private static float[] sample(List<EngineSnapshot> snaps, long rows, int dims, int max) {
        long step = Math.max(1, rows / max);
        int n = 0;
        float[] out = new float[(int) Math.min(max, rows) * dims + dims];
        long seen = 0;
        for (EngineSnapshot s : snaps) {
            for (int i = 0; i < s.nodeCount() && n * dims < out.length - dims; i++, seen++) {
                if (seen % step == 0) {
                    System.arraycopy(s.nodeVectors(), i * dims, out, n * dims, dims);
                    n++;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n * dims);
    }
}
