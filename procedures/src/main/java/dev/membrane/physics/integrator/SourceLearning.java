package dev.membrane.physics.integrator;

/**
 * SPEC §5 learning from {@code membrane.outcome}: {@code trust ← 0.9·trust + 0.1·[success]},
 * {@code utility ← 0.9·utility + 0.1·u}, {@code harm ← 0.95·harm + 0.05·h}.
 *
 * @param trustRate   weight of the newest outcome in trust (0.1)
 * @param utilityRate weight of the newest outcome in utility (0.1)
 * @param harmRate    weight of the newest outcome in harm (0.05)
 */
public record SourceLearning(double trustRate, double utilityRate, double harmRate) {

    /**
     * @param utility observed utility in [0, 1], or NaN when the outcome did not say
     * @param harm    observed harm in [0, 1], or NaN when the outcome did not say
     */
    public SourceState learn(SourceState s, boolean success, double utility, double harm) {
        double trust = (1 - trustRate) * s.trust() + trustRate * (success ? 1 : 0);
        double u = Double.isNaN(utility) ? s.utility() : (1 - utilityRate) * s.utility() + utilityRate * utility;
        double h = Double.isNaN(harm) ? s.harm() : (1 - harmRate) * s.harm() + harmRate * harm;
        return new SourceState(clamp(trust), clamp(u), clamp(h), s.mass(), s.massAt(), s.count(), s.massHistory());
    }

    /**
     * SPEC §8: the outcome {@code o ∈ [−1, 1]} of a mission teaches the source whose stimulus caused the flip:
     * {@code utility ← 0.9·utility + 0.1·max(0, o)}, {@code harm ← 0.95·harm + 0.05·max(0, −o)}; trust is unchanged
     * (the source's own claim was not what was judged).
     */
    public SourceState learnFromMission(SourceState s, double o) {
        double u = (1 - utilityRate) * s.utility() + utilityRate * Math.max(0, o);
        double h = (1 - harmRate) * s.harm() + harmRate * Math.max(0, -o);
        return new SourceState(s.trust(), clamp(u), clamp(h), s.mass(), s.massAt(), s.count(), s.massHistory());
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
