package dev.membrane.physics.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * SPEC §6.4 (default policy {@code gap_capped}): water-filling {@code ΔE_i = min(gap_i, λ·s_i)} with λ chosen so
 * that Σ ΔE = min(B, Σ gap). No item overshoots its threshold, so every unit delivered can close a gap, and the
 * similarity still decides who fills first.
 */
public final class GapCappedDistribution implements EnergyDistribution {

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
        // Items saturate in the order of their own λ_i = gap_i / s_i; raise λ until the target is spent.
        order.sort((a, b) -> Double.compare(saturation(items.get(a)), saturation(items.get(b))));
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
