package dev.membrane.physics.support;

/**
 * Rows quantised to int8 for scanning (SPEC §14): each row stored as {@code dims} signed bytes and one float scale,
 * symmetric per row ({@code scale = max|x| / 127}, {@code x ≈ scale · code}), so {@code q · x ≈ scale · (q · code)}.
 * A quarter of the float rows' bytes: the partitioned scan reads these and keeps the best few times k, then re-scores
 * those on the float rows, so what a search returns carries exact similarities.
 * <p>Error: per component at most {@code scale / 2}; for unit 384-d rows (components ~0.05, max ~0.2) the dot with a
 * unit query is off by ~5·10⁻⁴ (standard deviation), small against the gaps a top k separates.
 */
public final class RowCodes {
    /** The largest code: symmetric, so -127 … 127 and no asymmetric -128. */
    public static final int MAX_CODE = 127;

    private RowCodes() {
    }

    /**
     * Quantises row {@code row} of {@code rows} into {@code codes} at row {@code toRow}; returns its scale (0 for a zero
     * row, whose codes are then all 0).
     */
    public static float encode(float[] rows, int row, int dims, byte[] codes, int toRow) {
        int from = row * dims;
        int to = toRow * dims;
        float max = 0;
        for (int d = 0; d < dims; d++) {
            max = Math.max(max, Math.abs(rows[from + d]));
        }
        if (max == 0) {
            java.util.Arrays.fill(codes, to, to + dims, (byte) 0);
            return 0;
        }
        float inv = MAX_CODE / max;
        for (int d = 0; d < dims; d++) {
            codes[to + d] = (byte) Math.round(rows[from + d] * inv);
        }
        return max / MAX_CODE;
    }

    /** {@code q · x} for the row encoded at {@code row} with {@code scale}: the scan's approximate score. */
    public static double dot(byte[] codes, int row, float scale, float[] q) {
        return scale * VectorMath.dotCodes(codes, row, q);
    }
}
