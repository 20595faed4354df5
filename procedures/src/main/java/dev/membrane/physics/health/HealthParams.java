package dev.membrane.physics.health;

/**
 * Tunables of SPEC §6.5.
 *
 * @param activeTarget  working-memory size: ρ = activeCount / activeTarget
 * @param priorSlope    prior f(ρ) = clamp(fMax − priorSlope·ρ, fMin, fMax) (1.5 − 0.5ρ at the defaults)
 * @param fMin          lower clamp of f
 * @param fMax          upper clamp of f
 * @param warmup        samples before the first fit
 * @param retrainEvery  samples between fits
 * @param window        samples kept (and ranked together)
 */
public record HealthParams(int activeTarget, double priorSlope, double fMin, double fMax, int warmup, int retrainEvery,
                           int window) {
}
