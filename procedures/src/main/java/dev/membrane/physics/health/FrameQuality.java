package dev.membrane.physics.health;

/**
 * SPEC §6.5 frame quality of an injection: {@code q = (rank(flipYield) · rank(entropy) · rank(1 − overshootShare))^(1/3)},
 * each rank the fraction of the window's samples with a value ≤ this one's (so q ∈ (0, 1]). Ranking makes the three
 * axes comparable whatever their scales.
 */
public final class FrameQuality {
    private FrameQuality() {
    }

    /** q of every sample of the window, ranked within the window. */
    public static double[] of(double[] flipYield, double[] entropy, double[] fill) {
        double[] ry = ranks(flipYield);
        double[] re = ranks(entropy);
        double[] rf = ranks(fill);
        double[] q = new double[flipYield.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = Math.cbrt(ry[i] * re[i] * rf[i]);
        }
        return q;
    }

    /** Fraction of values ≤ each value (ties share the highest rank), in (0, 1]. */
    static double[] ranks(double[] v) {
        int n = v.length;
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = (double) upperBound(sorted, v[i]) / n;
        }
        return r;
    }

    private static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
