package dev.membrane.physics.energy;

/**
 * SPEC §1.1: the energy state of one substrate node at the clock's now.
 *
 * @param energy     E decayed to now, in [0, energyMax]
 * @param threshold  Θ in [thresholdMin, thresholdMax]
 * @param refractory r in [0, 1]: 1 at a flip, decaying with refractoryHalfLifeMs (SPEC §5)
 * @param active     whether the node is active now: E ≥ Θ, or it flipped and has not yet decayed below
 *                   deactivationRatio · Θ (see {@link Activation})
 */
public record NodeState(double energy, double threshold, double refractory, boolean active) {

    /** Below this distance to Θ a delivery counts as reaching it: absorbs floating-point rounding of E + gap. */
    public static final double FLIP_TOLERANCE = 1e-9;

    /** A node with no flip history: active exactly when E ≥ Θ. */
    public static NodeState of(double energy, double threshold, double refractory) {
        return new NodeState(energy, threshold, refractory, energy >= threshold);
    }

    public double gap() {
        return Math.max(0, threshold - energy);
    }
}
