package dev.membrane.physics.channels;

import dev.membrane.physics.energy.NodeState;
import dev.membrane.physics.injection.BudgetFactors;
import dev.membrane.physics.injection.Candidate;
import dev.membrane.physics.injection.DistributionPolicy;
import dev.membrane.physics.injection.EntropyCoverageSelection;
import dev.membrane.physics.injection.GapCappedBudget;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.StimulusInjection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubentityChannelsTest {
    private final SubentityChannels channels = new SubentityChannels(20);

    @Test
    void equalSplitDuringWarmUp() {
        List<Channel> cs = List.of(new Channel("architect", 0.9, 5, 50, 30), new Channel("validator", 0.1, 5, 50, 3),
                Channel.unaffiliated());
        assertArrayEquals(new double[]{1.0 / 3, 1.0 / 3, 1.0 / 3}, channels.weights(cs), 1e-12);
    }

    @Test
    void affinityAndSuccessRankTheChannelsAfterWarmUp() {
        List<Channel> cs = List.of(new Channel("architect", 0.9, 5, 50, 30), new Channel("validator", 0.2, 5, 50, 30));
        double[] pi = channels.weights(cs);
        // equal success: both z_succ = 1; affinity z = 1 vs 0 → logits 1 and 0.5
        assertEquals(Math.exp(0.5) / (1 + Math.exp(0.5)), pi[0], 1e-12);
        assertEquals(1, pi[0] + pi[1], 1e-12);
        double[] bySuccess = channels.weights(List.of(new Channel("a", 0.5, 1, 10, 30), new Channel("b", 0.5, 9, 90, 30)));
        assertTrue(bySuccess[1] > bySuccess[0], "the channel that flips and closes more gets more");
    }

    @Test
    void theUnaffiliatedChannelIsNeutral() {
        double[] pi = channels.weights(List.of(new Channel("a", 0.9, 1, 1, 30), Channel.unaffiliated()));
        assertEquals(Math.E / (Math.E + 1), pi[0], 1e-12);
    }

    @Test
    void aFullChannelsLeftoverFlowsToTheOthers() {
        // channel 0 can take only 5 of its 50; the 45 left go to channel 1
        Candidate small = new Candidate("s", 1, NodeState.of(25, 30, 0));
        Candidate big = new Candidate("b", 1, NodeState.of(0, 30, 0));
        ChannelPlan plan = new ChannelPlan(List.of(new Channel("x", 1, 0, 0, 0), new Channel("y", 1, 0, 0, 0)),
                Map.of("s", 0, "b", 1));
        InjectionOutcome o = new StimulusInjection(new GapCappedBudget(1.5, 200), DistributionPolicy.GAP_CAPPED, 100, 10)
                .inject(EntropyCoverageSelection.targets(List.of(small, big)), new BudgetFactors(1, 1, 1, 1),
                        plan, new double[]{0.5, 0.5});
        // B = 1.5 · (5 + 30) = 52.5: x gets 5 (full), y gets 30 (full), the rest stays unspent
        assertEquals(5, o.channels().get(0).budget(), 1e-9);
        assertEquals(30, o.channels().get(1).budget(), 1e-9);
        assertEquals(2, o.flips());
    }
}
