package dev.membrane.physics.support;

/**
 * The best {@code k} of a stream of (similarity, key) pairs over primitive arrays: a binary min-heap whose root is
 * the weakest kept, so a candidate that cannot enter costs one comparison and no allocation (a scan offers every row
 * of a scope). Ties on similarity: the larger key is the weaker, so the result does not depend on arrival order.
 * Keys are the caller's (e.g. snapshot index and row packed into a long).
 */
public final class TopK {
    private final int k;
    private final double[] sims;
    private final long[] keys;
    private int size;

    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        this.k = k;
        this.sims = new double[k];
        this.keys = new long[k];
    }

    public int size() {
        return size;
    }

    /** Whether {@code sim} could enter now (before the tie on keys): the scan's fast path. */
    public boolean admits(double sim) {
        return size < k || sim >= sims[0];
    }

    public void offer(double sim, long key) {
        if (size < k) {
            sims[size] = sim;
            keys[size] = key;
            siftUp(size++);
        } else if (weaker(sims[0], keys[0], sim, key)) {
            sims[0] = sim;
            keys[0] = key;
            siftDown(0);
        }
    }

    /** Whether (s1, k1) ranks below (s2, k2). */
    private static boolean weaker(double s1, long k1, double s2, long k2) {
        return s1 < s2 || s1 == s2 && k1 > k2;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!weaker(sims[i], keys[i], sims[parent], keys[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int weakest = l + 1 < size && weaker(sims[l + 1], keys[l + 1], sims[l], keys[l]) ? l + 1 : l;
            if (!weaker(sims[weakest], keys[weakest], sims[i], keys[i])) {
                return;
            }
            swap(i, weakest);
            i = weakest;
        }
    }

    private void swap(int a, int b) {
        double s = sims[a];
        sims[a] = sims[b];
        sims[b] = s;
        long t = keys[a];
        keys[a] = keys[b];
        keys[b] = t;
    }

    /** The kept entries' slots, best first (an insertion sort: k is small, and nothing is boxed). */
    public int[] bestFirst() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            int j = i;
            while (j > 0 && weaker(sims[order[j - 1]], keys[order[j - 1]], sims[i], keys[i])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    /** The key kept in {@code slot} (a slot from {@link #bestFirst()}). */
    public long key(int slot) {
        return keys[slot];
    }

    /** The similarity kept in {@code slot}. */
    public double similarity(int slot) {
        return sims[slot];
    }

    /** The kept keys, best first. */
    public long[] keysBestFirst() {
        int[] order = bestFirst();
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = keys[order[i]];
        }
        return out;
    }

    /** Packs a (group, row) pair into a key: groups rank before rows in ties. */
    public static long key(int group, int row) {
        return ((long) group << 32) | (row & 0xffffffffL);
    }

    public static int group(long key) {
        return (int) (key >>> 32);
    }

    public static int row(long key) {
        return (int) key;
    }
}
