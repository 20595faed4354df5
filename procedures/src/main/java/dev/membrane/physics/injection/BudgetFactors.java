package dev.membrane.physics.injection;

/**
 * The multiplicative factors of SPEC §6.3 other than the gap mass.
 *
 * @param health     f(ρ), §6.5
 * @param source     g(source), §6.6
 * @param peripheral 1 + α, §6.6
 * @param gain       integrator gain γ, §5 (1 for {@code membrane.inject}, which bypasses the integrator)
 */
public record BudgetFactors(double health, double source, double peripheral, double gain) {

    public static final BudgetFactors NEUTRAL = new BudgetFactors(1, 1, 1, 1);

    public BudgetFactors {
        check("health", health);
        check("source", source);
        check("peripheral", peripheral);
        check("gain", gain);
    }

    private static void check(String name, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException("budget factor " + name + " must be finite and >= 0, got " + v);
        }
    }
}
