package dev.membrane.physics.support;

/** The scan's inner loop, {@code q · rows[row]}: implemented by the SIMD kernel, which is loaded only when it can run. */
public interface DotKernel {
    float dotRow(float[] rows, int row, float[] q);

    /** Float lanes per SIMD register. */
    int lanes();
}
