package dev.membrane.physics.injection;

import java.util.List;

/**
 * SPEC §6.4 baseline {@code dual_channel} (floor + amplifier), the original design's policy, kept for comparison.
 * The constants below are that design's definition, not Membrane tunables: changing them changes the baseline.
 * It may push nodes above Θ (overshoot).
 */
public final class DualChannelDistribution implements EnergyDistribution {
    /** Width of the floor channel's sigmoid over the gap Θ − E. */
    static final double FLOOR_SIGMOID_WIDTH = 8;
    /** Exponent of the amplifier channel's similarity weights. */
    static final double AMPLIFIER_EXPONENT = 1.3;
    /** Per-item delivery cap. */
    static final double ITEM_CAP = 10;
    static final double SPLIT_BASE = 0.6;
    static final double SPLIT_STEP = 0.2;
    static final double SPLIT_MIN = 0.3;
    static final double SPLIT_MAX = 0.8;
    /** Mean gap above which the floor channel gets more. */
    static final double WIDE_GAP = 10;
    /** Similarity concentration (Σ p²) above which the amplifier channel gets more. */
    static final double CONCENTRATED = 0.2;

    @Override
    public double[] distribute(List<Candidate> items, double budget) {
        int n = items.size();
        double[] delta = new double[n];
        if (n == 0 || !(budget > 0)) {
            return delta;
        }
        double[] floorW = new double[n];
        double[] ampW = new double[n];
        double floorSum = 0;
        double ampSum = 0;
        double simSum = 0;
        double gapSum = 0;
        for (int i = 0; i < n; i++) {
            Candidate c = items.get(i);
            floorW[i] = 1 / (1 + Math.exp(-(c.state().threshold() - c.state().energy()) / FLOOR_SIGMOID_WIDTH));
            ampW[i] = Math.pow(c.similarity(), AMPLIFIER_EXPONENT);
            floorSum += floorW[i];
            ampSum += ampW[i];
            simSum += c.similarity();
            gapSum += c.state().gap();
        }
        double concentration = 0;
        for (Candidate c : items) {
            double p = simSum > 0 ? c.similarity() / simSum : 0;
            concentration += p * p;
        }
        double split = SPLIT_BASE + (gapSum / n > WIDE_GAP ? SPLIT_STEP : 0) - (concentration > CONCENTRATED ? SPLIT_STEP : 0);
        split = Math.max(SPLIT_MIN, Math.min(SPLIT_MAX, split));
        double total = 0;
        for (int i = 0; i < n; i++) {
            double floor = floorSum > 0 ? floorW[i] / floorSum * split * budget : 0;
            double amp = ampSum > 0 ? ampW[i] / ampSum * (1 - split) * budget : 0;
            delta[i] = Math.min(Math.min(items.get(i).state().gap(), floor) + amp, ITEM_CAP);
            total += delta[i];
        }
        if (total > budget) {
            double scale = budget / total;
            for (int i = 0; i < n; i++) {
                delta[i] *= scale;
            }
        }
        return delta;
    }
}
