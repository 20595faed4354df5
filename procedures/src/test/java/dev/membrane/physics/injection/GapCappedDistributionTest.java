package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.membrane.physics.injection.Fixtures.c;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GapCappedDistributionTest {
    private final GapCappedDistribution wf = new GapCappedDistribution(GapCappedDistribution.FillOrder.PROPORTIONAL);
    private final GapCappedDistribution priority = new GapCappedDistribution(GapCappedDistribution.FillOrder.PRIORITY);

    /** Seeded generator: 500 random engines and budgets, the same on every run. */
    @Test
    void neverOvershootsAndSpendsMinOfBudgetAndTotalGap() {
        Random seeds = new Random(20261122);
        for (int trial = 0; trial < 500; trial++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            int n = 1 + r.nextInt(40);
            double budget = r.nextInt(10) == 0 ? 0 : 2000 * r.nextDouble();
            check(wf, n, budget, r, seed);
            check(priority, n, budget, new Random(seed), seed);
        }
    }

    private void check(GapCappedDistribution dist, int n, double budget, Random r, long seed) {
        List<Candidate> items = new ArrayList<>();
        double totalGap = 0;
        for (int i = 0; i < n; i++) {
            Candidate c = c("n" + i, 0.2 + 0.8 * r.nextDouble(), r.nextDouble() < 0.2 ? 30 + 10 * r.nextDouble() : 30 * r.nextDouble());
            items.add(c);
            totalGap += c.state().gap();
        }
        double[] d = dist.distribute(items, budget);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(d[i] >= 0);
            assertTrue(d[i] <= items.get(i).state().gap() + 1e-9, "seed " + seed + ": item " + i + " overshoots its gap");
            sum += d[i];
        }
        assertEquals(Math.min(budget, totalGap), sum, 1e-6 * Math.max(1, sum), "seed " + seed);
    }

    @Test
    void unconstrainedDeliveryIsProportionalToSimilarity() {
        List<Candidate> items = List.of(c("a", 0.9, 0), c("b", 0.6, 0), c("c", 0.3, 0));
        double[] d = wf.distribute(items, 18);
        assertEquals(9, d[0], 1e-9);
        assertEquals(6, d[1], 1e-9);
        assertEquals(3, d[2], 1e-9);
    }

    @Test
    void aFullItemsLeftoverFlowsToTheOthers() {
        // a needs only 2; proportional shares would give it 9, so the rest is re-spread over b and c by similarity
        List<Candidate> items = List.of(c("a", 0.9, 28), c("b", 0.6, 0), c("c", 0.3, 0));
        double[] d = wf.distribute(items, 18);
        assertEquals(2, d[0], 1e-9);
        assertEquals(16 * 2.0 / 3, d[1], 1e-9);
        assertEquals(16 * 1.0 / 3, d[2], 1e-9);
    }

    @Test
    void priorityFillsEachItemCompletelyInGapOverSimilarityOrder() {
        // λ_i = gap/s: c (5/0.5 = 10) first, then a (30/0.9 = 33.3), then b (30/0.6 = 50)
        List<Candidate> items = List.of(c("a", 0.9, 0), c("b", 0.6, 0), c("c", 0.5, 25));
        double[] d = priority.distribute(items, 40);
        assertEquals(30, d[0], 1e-12);
        assertEquals(5, d[1], 1e-12);
        assertEquals(5, d[2], 1e-12);
    }

    @Test
    void onManyEqualMatchesPriorityFlipsWhereProportionalSpreads() {
        // SPEC §13.6 at equal budget on a broad stimulus: 20 equally similar fresh nodes, budget for six gaps
        List<Candidate> items = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(c(String.format("n%02d", i), 0.8, 0));
        }
        StimulusInjection prio = new StimulusInjection(new GapCappedBudget(1.5, 180), DistributionPolicy.GAP_CAPPED,
                GapCappedDistribution.FillOrder.PRIORITY, 100, 10);
        StimulusInjection prop = new StimulusInjection(new GapCappedBudget(1.5, 180), DistributionPolicy.GAP_CAPPED,
                GapCappedDistribution.FillOrder.PROPORTIONAL, 100, 10);
        StimulusInjection uniform = new StimulusInjection(new GapCappedBudget(1.5, 180), DistributionPolicy.UNIFORM_TOPK, 100, 10);
        Selection all = EntropyCoverageSelection.targets(items);
        assertEquals(6, prio.inject(all, BudgetFactors.NEUTRAL).flips());
        assertEquals(0, prop.inject(all, BudgetFactors.NEUTRAL).flips(), "9 each: nobody reaches 30");
        assertEquals(0, uniform.inject(all, BudgetFactors.NEUTRAL).flips(), "18 each to the top 10");
        assertEquals(0, prio.inject(all, BudgetFactors.NEUTRAL).overshoot(), 1e-12);
    }

    @Test
    void activeItemsGetNothing() {
        double[] d = wf.distribute(List.of(c("a", 0.9, 35), c("b", 0.5, 10)), 100);
        assertEquals(0, d[0]);
        assertEquals(20, d[1], 1e-9);
    }
}
