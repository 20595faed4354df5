package dev.membrane.physics.injection;

import java.util.List;

/**
 * The physics result of one stimulus in one engine (SPEC §6.8), before anything is written.
 *
 * @param items          the nodes the policy delivered to, in selection order
 * @param delivered      Σ ΔE actually delivered
 * @param refractoryLoss Σ energy blocked by refractory charge
 * @param overshoot      Σ energy delivered above thresholds
 */
public record InjectionOutcome(DistributionPolicy policy, Selection selection, Budget budget, List<ItemOutcome> items,
                               double delivered, double refractoryLoss, int flips, double overshoot) {

    /** SPEC §6.6: flips per unit of budget, the yield that source gates and benchmarks compare. */
    public double flipYield(double epsilon) {
        return flips / (budget.value() + epsilon);
    }
}
