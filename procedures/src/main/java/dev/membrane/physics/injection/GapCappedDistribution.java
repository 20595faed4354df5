package dev.membrane.physics.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * SPEC §6.4 (default policy {@code gap_capped}): no item overshoots its threshold, Σ ΔE = min(B, Σ gap), and items
 * are served in the order of {@code gap_i / s_i} (the most similar and the nearest to Θ first). Two fill orders:
 * <ul>
 *   <li>{@link FillOrder#PROPORTIONAL} — SPEC's water-filling {@code ΔE_i = min(gap_i, λ·s_i)}: every item gets
 *   energy in proportion to its similarity until it is full.</li>
 *   <li>{@link FillOrder#PRIORITY} — each item in that order is filled completely before the next gets anything.
 *   With a budget smaller than the gaps of many equally similar matches, proportional filling spreads it so thinly
 *   that nothing flips before decay erases it; priority filling flips what the budget can flip
 *   (docs/benchmarks.md measures both).</li>
 * </ul>
 */
public final class GapCappedDistribution implements EnergyDistribution {

    /** How a budget smaller than the total gap is shared. */
    public enum FillOrder { PROPORTIONAL, PRIORITY }

    private final FillOrder fillOrder;

    public GapCappedDistribution(FillOrder fillOrder) {
        this.fillOrder = fillOrder;
    }

    public GapCappedDistribution() {
        this(FillOrder.PROPORTIONAL);
    }

    @Override
    public double[] distribute(List<Candidate> items, double budget) {
        int n = items.size();
        double[] delta = new double[n];
        double totalGap = 0;
        double activeSim = 0;
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate c = items.get(i);
            double gap = c.state().gap();
            if (gap > 0 && c.similarity() > 0) {
                totalGap += gap;
                activeSim += c.similarity();
                order.add(i);
            }
        }
        double target = Math.min(budget, totalGap);
        if (!(target > 0)) {
            return delta;
        }
        if (budget >= totalGap) {
            // Enough for every gap: fill each exactly, with no rounding from λ·s.
            for (int i : order) {
                delta[i] = items.get(i).state().gap();
            }
            return delta;
        }
        // Items saturate in the order of their own λ_i = gap_i / s_i (ties by position: similarity order).
        order.sort((a, b) -> Double.compare(saturation(items.get(a)), saturation(items.get(b))));
        if (fillOrder == FillOrder.PRIORITY) {
            double left = target;
            for (int i : order) {
                double gap = items.get(i).state().gap();
                delta[i] = Math.min(gap, left);
                left -= delta[i];
                if (left <= 0) {
                    break;
                }
            }
            return delta;
        }
        double filled = 0;
        int k = 0;
        for (; k < order.size(); k++) {
            Candidate c = items.get(order.get(k));
            if (filled + saturation(c) * activeSim >= target) {
                break;
            }
            delta[order.get(k)] = c.state().gap();
            filled += c.state().gap();
            activeSim -= c.similarity();
        }
        if (k < order.size() && activeSim > 0) {
            double lambda = (target - filled) / activeSim;
            for (int j = k; j < order.size(); j++) {
                Candidate c = items.get(order.get(j));
                delta[order.get(j)] = Math.min(c.state().gap(), lambda * c.similarity());
            }
        }
        return delta;
    }

    private static double saturation(Candidate c) {
        return c.state().gap() / c.similarity();
    }
}
