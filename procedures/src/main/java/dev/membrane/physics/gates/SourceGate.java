package dev.membrane.physics.gates;

/**
 * SPEC §6.6 source gate g(source): sources whose stimuli flip more per unit of budget get more. Each source keeps a
 * flip-yield EMA; after {@code warmup} observations its gate is {@code clamp(gMin + rankFrac, gMin, gMax)}, where
 * rankFrac is the share of warmed-up sources whose EMA is ≤ its own. Before that, g = 1.
 *
 * @param warmup  observations before a source is ranked
 * @param emaRate weight of the newest observation in the EMA
 * @param gMin    gate of the lowest-ranked source (and lower clamp); 0.5 by default, so the top one gets 1.5
 * @param gMax    upper clamp
 */
public record SourceGate(int warmup, double emaRate, double gMin, double gMax) {

    /** SPEC §6.6: flipYield = flips / (budget + ε), ε keeping a zero budget finite. */
    public static final double YIELD_EPSILON = 1e-6;

    public static double flipYield(int flips, double budget) {
        return flips / (budget + YIELD_EPSILON);
    }

    /** The EMA after one more observation; the first observation seeds it (no bias toward 0). */
    public double updateEma(double ema, long observations, double yield) {
        return observations == 0 ? yield : (1 - emaRate) * ema + emaRate * yield;
    }

    /**
     * @param observations this source's observation count
     * @param atOrBelow    warmed-up sources whose EMA ≤ this source's (itself included when warmed up)
     * @param warmedUp     warmed-up sources in total
     */
    public double gate(long observations, long atOrBelow, long warmedUp) {
        if (observations < warmup || warmedUp == 0) {
            return 1.0;
        }
        double rankFrac = (double) atOrBelow / warmedUp;
        return Math.max(gMin, Math.min(gMax, gMin + rankFrac));
    }
}
