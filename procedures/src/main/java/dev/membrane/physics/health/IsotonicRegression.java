package dev.membrane.physics.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pool-adjacent-violators fit of a <em>non-increasing</em> function y(x) (SPEC §6.5). Returns the fitted blocks
 * as points (mean x of the block, fitted y), sorted by x; y never increases from one point to the next.
 */
public final class IsotonicRegression {
    private IsotonicRegression() {
    }

    /** Fitted points: {@code xs[i]} ascending, {@code ys[i]} non-increasing. */
    public record Fit(double[] xs, double[] ys) {
        public boolean isEmpty() {
            return xs.length == 0;
        }
    }

    public static Fit nonIncreasing(double[] x, double[] y) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> -y[i]));
        // Blocks on a stack: sum of y, sum of x, weight. Merge while the previous block's mean is below this one's
        // (that would be an increase).
        List<double[]> blocks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int i = order[k];
            double[] b = {y[i], x[i], 1};
            while (!blocks.isEmpty()) {
                double[] prev = blocks.get(blocks.size() - 1);
                if (prev[0] / prev[2] >= b[0] / b[2]) {
                    break;
                }
                blocks.remove(blocks.size() - 1);
                b = new double[]{prev[0] + b[0], prev[1] + b[1], prev[2] + b[2]};
            }
            blocks.add(b);
        }
        double[] xs = new double[blocks.size()];
        double[] ys = new double[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            double[] b = blocks.get(i);
            xs[i] = b[1] / b[2];
            ys[i] = b[0] / b[2];
        }
        return new Fit(xs, ys);
    }

    /**
     * The fit at {@code x}: linear between neighbouring points, constant beyond the ends (x is clamped to the
     * fitted range), so it is defined and finite everywhere.
     */
    public static double evaluate(Fit fit, double x) {
        double[] xs = fit.xs();
        double[] ys = fit.ys();
        if (xs.length == 0 || Double.isNaN(x)) {
            throw new IllegalArgumentException("empty fit or NaN x");
        }
        if (x <= xs[0]) {
            return ys[0];
        }
        if (x >= xs[xs.length - 1]) {
            return ys[ys.length - 1];
        }
        int hi = 1;
        while (xs[hi] < x) {
            hi++;
        }
        int lo = hi - 1;
        double span = xs[hi] - xs[lo];
        double t = span > 0 ? (x - xs[lo]) / span : 0;
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }
}
