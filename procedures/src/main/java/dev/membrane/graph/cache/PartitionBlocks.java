package dev.membrane.graph.cache;

import dev.membrane.physics.support.RowCodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The partitioned index's rows gathered per partition across engines, as int8 codes ({@link RowCodes}): what a query's
 * probes read, contiguous (SPEC §14). Filing alone keeps a partition's rows contiguous inside each engine's snapshot,
 * but at 1M nodes a partition's ~500 rows lie in ~500 different snapshots, one row each: measured, the scan then
 * waits on memory latency (~1.9 GB/s against ~21 GB/s for the exact scan's contiguous rows). Here partition p's
 * rows of every engine are one array, a quarter of the float bytes; the scan keeps the best few times k by the
 * codes and re-scores those on the snapshots' float rows, so results carry exact similarities.
 * <p>A row is named by its group (an engine's filed snapshot, {@link #group(int)}) and its row in that snapshot
 * (nodes {@code i ≥ 0}, links {@code -1 - i}). Immutable; {@link #update} derives the next one when the snapshots in
 * play change, re-encoding only the partitions where an engine's rows came or went and sharing the others' arrays.
 * Bytes per row: {@code dims} codes, a 4-byte scale, 8 bytes of names.
 */
public final class PartitionBlocks {
    private final long version;
    private final int dims;
    private final EngineSnapshot[] groups;
    private final Map<EngineSnapshot, Integer> groupOf;
    private final byte[][] codes;
    private final float[][] scales;
    private final int[][] rowGroup;
    private final int[][] snapshotRow;

    private PartitionBlocks(long version, int dims, EngineSnapshot[] groups, byte[][] codes, float[][] scales,
                            int[][] rowGroup, int[][] snapshotRow) {
        this.version = version;
        this.dims = dims;
        this.groups = groups;
        this.groupOf = new IdentityHashMap<>();
        for (int g = 0; g < groups.length; g++) {
            if (groups[g] != null) {
                groupOf.put(groups[g], g);
            }
        }
        this.codes = codes;
        this.scales = scales;
        this.rowGroup = rowGroup;
        this.snapshotRow = snapshotRow;
    }

    /** The {@link RowPartitions.Centroids#version()} the rows are filed under. */
    public long version() {
        return version;
    }

    public int partitions() {
        return codes.length;
    }

    public int groups() {
        return groups.length;
    }

    /** The snapshot of group {@code g}, or null for a group whose engine has left. */
    public EngineSnapshot group(int g) {
        return groups[g];
    }

    /** The group of this very snapshot (by identity), or -1. */
    public int groupOf(EngineSnapshot s) {
        Integer g = groupOf.get(s);
        return g == null ? -1 : g;
    }

    /** Whether every one of {@code filed} is here, under {@code version}. */
    public boolean covers(List<EngineSnapshot> filed, long centroidVersion) {
        if (centroidVersion != version) {
            return false;
        }
        for (EngineSnapshot s : filed) {
            if (!groupOf.containsKey(s)) {
                return false;
            }
        }
        return true;
    }

    public int rows(int p) {
        return rowGroup[p].length;
    }

    public byte[] codes(int p) {
        return codes[p];
    }

    public float[] scales(int p) {
        return scales[p];
    }

    public int[] rowGroups(int p) {
        return rowGroup[p];
    }

    /** Row in its snapshot of each row of partition p: nodes {@code i}, links {@code -1 - i}. */
    public int[] snapshotRows(int p) {
        return snapshotRow[p];
    }

    /** Heap held by the codes, scales and names (shared arrays counted once per instance). */
    public long bytes() {
        long b = 0;
        for (int p = 0; p < codes.length; p++) {
            b += codes[p].length + 12L * rowGroup[p].length + 16L * 4;
        }
        return b;
    }

    /**
     * The blocks for a search over {@code filed} (each filed under {@code c}): {@code old} itself when it covers them,
     * else a new instance that holds every one of {@code filed}, keeps those of {@code old}'s other engines for which
     * {@code keep} holds (another scope's, still cached), and drops the rest. Only partitions in which a dropped or
     * added snapshot has rows are rebuilt; the others' arrays are shared with {@code old}.
     */
    public static PartitionBlocks update(PartitionBlocks old, List<EngineSnapshot> filed, RowPartitions.Centroids c,
                                         Predicate<EngineSnapshot> keep) {
        if (old != null && old.covers(filed, c.version())) {
            return old;
        }
        for (EngineSnapshot s : filed) {
            if (s.partitionVersion() != c.version()) {
                throw new IllegalStateException("snapshot of " + s.engineId() + " is not filed under centroids " + c.version());
            }
        }
        Set<String> inPlay = new HashSet<>();
        Set<EngineSnapshot> filedSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (EngineSnapshot s : filed) {
            inPlay.add(s.engineId());
            filedSet.add(s);
        }
        List<EngineSnapshot> groups = new ArrayList<>();
        Map<EngineSnapshot, Integer> index = new IdentityHashMap<>(); // group of each snapshot kept or added
        boolean incremental = old != null && old.version == c.version() && old.dims == c.dims();
        List<EngineSnapshot> dropped = new ArrayList<>();
        int holes = 0;
        if (incremental) {
            for (EngineSnapshot s : old.groups) {
                boolean stays = s != null && (inPlay.contains(s.engineId()) ? filedSet.contains(s) : keep.test(s));
                if (s != null && !stays) {
                    dropped.add(s);
                }
                if (stays) {
                    index.put(s, groups.size());
                }
                groups.add(stays ? s : null);
                holes += stays ? 0 : 1;
            }
        }
        List<EngineSnapshot> added = new ArrayList<>();
        for (EngineSnapshot s : filed) {
            if (!index.containsKey(s)) {
                index.put(s, groups.size());
                added.add(s);
                groups.add(s);
            }
        }
        if (incremental && holes > groups.size() / 2) { // mostly holes: start over, compact
            return update(null, filed, c, keep);
        }
        int partitions = c.count();
        int dims = c.dims();
        boolean[] dirty = new boolean[partitions];
        if (!incremental) {
            Arrays.fill(dirty, true);
        } else {
            dropped.forEach(s -> mark(s, dirty));
            added.forEach(s -> mark(s, dirty));
        }
        EngineSnapshot[] groupArray = groups.toArray(EngineSnapshot[]::new);
        byte[][] codes = new byte[partitions][];
        float[][] scales = new float[partitions][];
        int[][] rowGroup = new int[partitions][];
        int[][] snapshotRow = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            if (!dirty[p]) {
                codes[p] = old.codes[p];
                scales[p] = old.scales[p];
                rowGroup[p] = old.rowGroup[p];
                snapshotRow[p] = old.snapshotRow[p];
                continue;
            }
            int n = 0;
            if (incremental) {
                for (int g : old.rowGroup[p]) {
                    n += groupArray[g] != null ? 1 : 0;
                }
            }
            List<EngineSnapshot> encode = incremental ? added : Arrays.asList(groupArray);
            for (EngineSnapshot s : encode) {
                n += rowsIn(s, p);
            }
            byte[] pc = new byte[n * dims];
            float[] ps = new float[n];
            int[] pg = new int[n];
            int[] pr = new int[n];
            int k = 0;
            if (incremental) {
                int[] og = old.rowGroup[p];
                for (int i = 0; i < og.length; i++) {
                    if (groupArray[og[i]] != null) {
                        System.arraycopy(old.codes[p], i * dims, pc, k * dims, dims);
                        ps[k] = old.scales[p][i];
                        pg[k] = og[i];
                        pr[k] = old.snapshotRow[p][i];
                        k++;
                    }
                }
            }
            for (EngineSnapshot s : encode) {
                int g = index.get(s);
                for (int i = s.nodeStart()[p]; i < s.nodeStart()[p + 1]; i++, k++) {
                    ps[k] = RowCodes.encode(s.nodeVectors(), i, dims, pc, k);
                    pg[k] = g;
                    pr[k] = i;
                }
                for (int i = s.linkStart()[p]; i < s.linkStart()[p + 1]; i++, k++) {
                    ps[k] = RowCodes.encode(s.linkVectors(), i, dims, pc, k);
                    pg[k] = g;
                    pr[k] = -1 - i;
                }
            }
            codes[p] = pc;
            scales[p] = ps;
            rowGroup[p] = pg;
            snapshotRow[p] = pr;
        }
        return new PartitionBlocks(c.version(), dims, groupArray, codes, scales, rowGroup, snapshotRow);
    }

    private static int rowsIn(EngineSnapshot s, int p) {
        return s.nodeStart()[p + 1] - s.nodeStart()[p] + s.linkStart()[p + 1] - s.linkStart()[p];
    }

    private static void mark(EngineSnapshot s, boolean[] dirty) {
        for (int p = 0; p < dirty.length; p++) {
            dirty[p] |= rowsIn(s, p) > 0;
        }
    }
}
