package dev.membrane.physics.injection;

import dev.membrane.physics.energy.NodeState;

import java.util.ArrayList;
import java.util.List;

/**
 * SPEC §6.2-6.4 for one engine and one stimulus: budget from the gap mass, distribution by policy, refractory
 * damping (SPEC §5), flips. Pure: the caller reads the node states and writes the outcome.
 *
 * @param energyMax upper clamp of node energy (SPEC §1.1)
 * @param kFixed    the k of the {@code uniform_topk} baseline
 */
public record StimulusInjection(GapCappedBudget budgeting, DistributionPolicy policy, double energyMax, int kFixed) {

    public InjectionOutcome inject(Selection selection, BudgetFactors factors) {
        Budget budget = budgeting.compute(selection.selected(), factors);
        List<Candidate> items = policy.items(selection, kFixed);
        double[] planned = policy.distribution().distribute(items, budget.value());
        List<ItemOutcome> out = new ArrayList<>(items.size());
        double delivered = 0;
        double loss = 0;
        double overshoot = 0;
        int flips = 0;
        for (int i = 0; i < items.size(); i++) {
            Candidate c = items.get(i);
            NodeState s = c.state();
            double given = planned[i] * (1 - s.refractory());
            double blocked = planned[i] - given;
            double after = Math.min(energyMax, s.energy() + given);
            boolean reached = given > 0 && after >= s.threshold() - NodeState.FLIP_TOLERANCE;
            if (reached) {
                after = Math.max(after, s.threshold()); // a delivery that reaches Θ lands on it, not a rounding below
            }
            boolean flipped = reached && !s.active();
            double actual = after - s.energy();
            double over = Math.max(0, after - Math.max(s.threshold(), s.energy()));
            out.add(new ItemOutcome(c.nodeId(), c.similarity(), s.energy(), s.threshold(), s.gap(), actual, after,
                    Math.max(0, s.threshold() - after), flipped, blocked, over));
            delivered += actual;
            loss += blocked;
            overshoot += over;
            flips += flipped ? 1 : 0;
        }
        return new InjectionOutcome(policy, selection, budget, List.copyOf(out), delivered, loss, flips, overshoot);
    }
}
