package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.membrane.physics.injection.Fixtures.c;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StimulusInjectionTest {
    private final EntropyCoverageSelection selection = new EntropyCoverageSelection(0.2, 0.5, 1, 64);

    private StimulusInjection injection(DistributionPolicy policy) {
        return new StimulusInjection(new GapCappedBudget(1.5, 200), policy, 100, 10);
    }

    @Test
    void budgetIsGainTimesGapMassTimesFactorsCapped() {
        Selection s = selection.select(List.of(c("a", 0.8, 10)));
        Budget b = new GapCappedBudget(1.5, 200).compute(s.selected(), new BudgetFactors(1.5, 0.5, 2, 1));
        assertEquals(0.8 * 20, b.gapMass(), 1e-12);
        assertEquals(1.5 * 16, b.base(), 1e-12);
        assertEquals(1.5 * 16 * 1.5, b.value(), 1e-12);
        Budget capped = new GapCappedBudget(1.5, 10).compute(s.selected(), BudgetFactors.NEUTRAL);
        assertEquals(10, capped.value(), 1e-12);
    }

    @Test
    void aLoneMatchFlipsOnlyWhenSimilarityReachesOneOverGain() {
        // SPEC §6.3: with budgetGain 1.5 in a balanced engine a lone match flips iff s >= 1/1.5
        InjectionOutcome strong = injection(DistributionPolicy.GAP_CAPPED)
                .inject(selection.select(List.of(c("a", 0.7, 0))), BudgetFactors.NEUTRAL);
        InjectionOutcome weak = injection(DistributionPolicy.GAP_CAPPED)
                .inject(selection.select(List.of(c("a", 0.6, 0))), BudgetFactors.NEUTRAL);
        assertEquals(1, strong.flips());
        assertEquals(30, strong.items().get(0).energyAfter(), 1e-9, "gap-capped: lands exactly on Θ");
        assertEquals(0, strong.overshoot(), 1e-9);
        assertEquals(0, weak.flips());
        assertEquals(1.5 * 0.6 * 30, weak.delivered(), 1e-9);
    }

    @Test
    void refractoryChargeBlocksItsShareAndIsReported() {
        InjectionOutcome o = injection(DistributionPolicy.GAP_CAPPED)
                .inject(selection.select(List.of(c("a", 0.9, 0, 30, 0.95))), BudgetFactors.NEUTRAL);
        ItemOutcome item = o.items().get(0);
        assertFalse(item.flipped());
        assertEquals(30 * 0.05, item.deltaE(), 1e-9);
        assertEquals(30 * 0.95, o.refractoryLoss(), 1e-9);
    }

    @Test
    void atEqualBudgetGapCappedOutYieldsUniformTopK() {
        List<Candidate> matches = List.of(c("a", 0.9, 25), c("b", 0.88, 5), c("c", 0.86, 28), c("d", 0.85, 0),
                c("e", 0.84, 29), c("f", 0.83, 10));
        Selection s = selection.select(matches);
        InjectionOutcome gap = injection(DistributionPolicy.GAP_CAPPED).inject(s, BudgetFactors.NEUTRAL);
        InjectionOutcome uni = injection(DistributionPolicy.UNIFORM_TOPK).inject(s, BudgetFactors.NEUTRAL);
        assertEquals(gap.budget().value(), uni.budget().value(), 1e-12);
        assertTrue(gap.flips() > uni.flips(), gap.flips() + " vs " + uni.flips());
        assertEquals(0, gap.overshoot(), 1e-9);
        assertTrue(uni.overshoot() > 0);
    }

    @Test
    void dualChannelNeverSpendsMoreThanTheBudget() {
        Selection s = selection.select(List.of(c("a", 0.9, 0), c("b", 0.85, 20), c("c", 0.8, 29)));
        InjectionOutcome o = injection(DistributionPolicy.DUAL_CHANNEL).inject(s, BudgetFactors.NEUTRAL);
        assertTrue(o.delivered() <= o.budget().value() + 1e-9);
        assertTrue(o.delivered() > 0);
    }

    @Test
    void alreadyActiveNodesDoNotFlipAgain() {
        Selection both = new EntropyCoverageSelection(0.2, 0.5, 2, 64).select(List.of(c("a", 0.9, 50), c("b", 0.9, 15)));
        // B = 1.5 · 0.9 · 15 · gain 2 = 40.5: uniform gives each 20.25, so b crosses Θ and a (active) only overshoots
        InjectionOutcome o = injection(DistributionPolicy.UNIFORM_TOPK).inject(both, new BudgetFactors(1, 1, 1, 2));
        assertEquals(1, o.flips(), "b may flip; a was active before");
        assertFalse(o.items().stream().filter(i -> i.nodeId().equals("a")).findFirst().orElseThrow().flipped());
    }

    @Test
    void refreshingAStillActiveNodeIsNotAFlip() {
        // flipped earlier, decayed to 28 (above 0.9 · Θ): still active, its gap of 2 is refilled without a flip
        Candidate refreshed = new Candidate("a", 0.9, new dev.membrane.physics.energy.NodeState(28, 30, 0, true));
        InjectionOutcome o = injection(DistributionPolicy.GAP_CAPPED)
                .inject(EntropyCoverageSelection.targets(List.of(refreshed)), BudgetFactors.NEUTRAL);
        assertEquals(2, o.delivered(), 1e-9);
        assertEquals(0, o.flips());
    }

    @Test
    void energyNeverExceedsEnergyMax() {
        InjectionOutcome o = new StimulusInjection(new GapCappedBudget(1.5, 1000), DistributionPolicy.UNIFORM_TOPK, 100, 1)
                .inject(EntropyCoverageSelection.targets(List.of(c("a", 1, 0, 99, 0))), new BudgetFactors(1, 1, 1, 2));
        assertEquals(100, o.items().get(0).energyAfter(), 1e-12);
    }
}
