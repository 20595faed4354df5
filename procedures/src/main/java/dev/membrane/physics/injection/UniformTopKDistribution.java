package dev.membrane.physics.injection;

import java.util.List;

/**
 * SPEC §6.4 baseline {@code uniform_topk}: B/k to each of the top k matches, no caps. Kept only to measure what
 * gap capping buys (SPEC §13.6); the items are chosen by {@link DistributionPolicy#items}.
 */
public final class UniformTopKDistribution implements EnergyDistribution {

    @Override
    public double[] distribute(List<Candidate> items, double budget) {
        double[] delta = new double[items.size()];
        if (items.isEmpty() || !(budget > 0)) {
            return delta;
        }
        java.util.Arrays.fill(delta, budget / items.size());
        return delta;
    }
}
