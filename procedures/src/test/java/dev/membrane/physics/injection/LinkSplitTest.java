package dev.membrane.physics.injection;

import dev.membrane.physics.energy.NodeState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinkSplitTest {

    private static Candidate link(double s, double gapFrom, double gapTo, long fwd, long bwd) {
        return Candidate.link("L", s, new Candidate.Link("a", NodeState.of(30 - gapFrom, 30, 0), "b",
                NodeState.of(30 - gapTo, 30, 0), fwd, bwd));
    }

    private static InjectionOutcome inject(DistributionPolicy policy, Candidate c, double gain) {
        return new StimulusInjection(new GapCappedBudget(1.5, 200), policy, 100, 10)
                .inject(EntropyCoverageSelection.targets(List.of(c)), new BudgetFactors(1, 1, 1, gain));
    }

    @Test
    void aLinksGapIsBothEndsAndBootstrapSplitsEvenly() {
        Candidate c = link(1, 30, 30, 0, 0);
        assertEquals(60, c.state().gap(), 1e-12);
        // B = 1.5 · 1 (target) · 60 · 0.2 = 18: 9 to each end
        InjectionOutcome o = inject(DistributionPolicy.GAP_CAPPED, c, 0.2);
        LinkOutcome l = o.links().get(0);
        assertEquals(0.5, l.fromShare(), 1e-12);
        assertEquals(9, l.toFrom(), 1e-9);
        assertEquals(9, l.toTo(), 1e-9);
        assertEquals(List.of("a", "b"), o.items().stream().map(ItemOutcome::nodeId).toList());
    }

    @Test
    void theSplitFollowsTheDirectionEvidence() {
        assertEquals(20.0 / 28, link(1, 30, 30, 19, 7).link().fromShare(), 1e-12, "≈ 70/30 after forward evidence");
        assertEquals(701.0 / 1002, link(1, 30, 30, 700, 300).link().fromShare(), 1e-12, "converges to 0.7");
        InjectionOutcome o = inject(DistributionPolicy.GAP_CAPPED, link(1, 30, 30, 19, 7), 0.2);
        LinkOutcome l = o.links().get(0);
        assertEquals(18 * 20.0 / 28, l.toFrom(), 1e-9);
        assertEquals(18 * 8.0 / 28, l.toTo(), 1e-9);
    }

    @Test
    void whatAFullEndRefusesIsReofferedToTheOther() {
        // a has room for 2 only; at 50/50 it is offered 9: the 7 it refuses go to b
        InjectionOutcome o = inject(DistributionPolicy.GAP_CAPPED, link(1, 2, 30, 0, 0), 18.0 / (1.5 * 32));
        LinkOutcome l = o.links().get(0);
        assertEquals(2, l.toFrom(), 1e-9);
        assertEquals(16, l.toTo(), 1e-9);
        assertEquals(0, l.lost(), 1e-12);
        assertEquals(1, o.flips(), "a reached its threshold");
    }

    @Test
    void whatNeitherEndCanTakeIsReportedLost() {
        // uniform_topk does not cap: 45 planned for a link whose ends can take 2 + 3
        InjectionOutcome o = inject(DistributionPolicy.UNIFORM_TOPK, link(1, 2, 3, 0, 0), 6);
        LinkOutcome l = o.links().get(0);
        assertEquals(45, l.planned(), 1e-9);
        assertEquals(2, l.toFrom(), 1e-9);
        assertEquals(3, l.toTo(), 1e-9);
        assertEquals(40, l.lost(), 1e-9);
        assertEquals(40, o.linkLoss(), 1e-9);
        assertEquals(2, o.flips());
    }
}
