package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.membrane.physics.injection.Fixtures.c;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GapCappedDistributionTest {
    private final GapCappedDistribution wf = new GapCappedDistribution();

    /** Seeded generator: 500 random engines and budgets, the same on every run. */
    @Test
    void neverOvershootsAndSpendsMinOfBudgetAndTotalGap() {
        Random seeds = new Random(20261122);
        for (int trial = 0; trial < 500; trial++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            int n = 1 + r.nextInt(40);
            double budget = r.nextInt(10) == 0 ? 0 : 2000 * r.nextDouble();
            check(n, budget, r, seed);
        }
    }

    private void check(int n, double budget, Random r, long seed) {
        List<Candidate> items = new ArrayList<>();
        double totalGap = 0;
        for (int i = 0; i < n; i++) {
            Candidate c = c("n" + i, 0.2 + 0.8 * r.nextDouble(), r.nextDouble() < 0.2 ? 30 + 10 * r.nextDouble() : 30 * r.nextDouble());
            items.add(c);
            totalGap += c.state().gap();
        }
        double[] d = wf.distribute(items, budget);
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
    void activeItemsGetNothing() {
        double[] d = wf.distribute(List.of(c("a", 0.9, 35), c("b", 0.5, 10)), 100);
        assertEquals(0, d[0]);
        assertEquals(20, d[1], 1e-9);
    }
}
