package dev.membrane.physics.energy;

/**
 * When a node counts as active (SPEC §1.1, with hysteresis). SPEC defines active as E ≥ Θ; but gap-capped delivery
 * fills a node exactly to Θ and lazy decay takes it below Θ within milliseconds, so under that rule a flip would
 * be undone at once and {@code activeCount} would always read near 0. A node that flipped therefore stays active
 * until its decayed energy falls below {@code deactivationRatio · Θ}; a node that never flipped is active when
 * E ≥ Θ. A flip is a transition from inactive to E ≥ Θ.
 *
 * @param deactivationRatio in (0, 1]; 1 restores SPEC's plain E ≥ Θ
 */
public record Activation(double deactivationRatio) {

    /**
     * @param flagged whether the node is marked active since its last flip
     */
    public boolean isActive(double energy, double threshold, boolean flagged) {
        return energy >= threshold || (flagged && energy >= deactivationRatio * threshold);
    }
}
