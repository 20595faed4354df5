package dev.membrane.physics.support;

/** The scan's inner loop, {@code q · rows[row]}: implemented by the SIMD kernel, which is loaded only when it can run. */
public interface DotKernel {
    float dotRow(float[] rows, int row, float[] q);

    /**
     * {@code q · codes[row]} for int8 rows ({@link RowCodes}), before the row's scale is applied: the partitioned scan's
     * inner loop, a quarter of the float scan's memory traffic.
     */
    float dotCodes(byte[] codes, int row, float[] q);

    /** Float lanes per SIMD register. */
    int lanes();
}
