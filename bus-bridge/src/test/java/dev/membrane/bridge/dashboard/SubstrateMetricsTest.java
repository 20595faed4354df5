package dev.membrane.bridge.dashboard;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The substrate measures from SPEC §9 events: flip yield, coverage entropy, attribution shares; window; /metrics text. */
class SubstrateMetricsTest {

    private static Map<String, Object> injected(String engine, String stimulus, double fin, double health, double source,
                                                double peripheral, long flips) {
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("final", fin);
        budget.put("health", health);
        budget.put("source", source);
        budget.put("peripheral", peripheral);
        budget.put("gain", 1.0);
        return Map.of("type", "stimulus.injected", "engine", engine, "stimulusId", stimulus,
                "payload", Map.of("budget", budget, "flips", flips));
    }

    private static Map<String, Object> item(String engine, String stimulus, String node, double deltaE) {
        return Map.of("type", "stimulus.item_injected", "engine", engine, "stimulusId", stimulus,
                "payload", Map.of("nodeId", node, "deltaE", deltaE));
    }

    @Test
    void flipYieldIsFlipsPerUnitOfFinalBudgetOverTheWindow() {
        SubstrateMetrics m = new SubstrateMetrics(2);
        m.accept(injected("ada", "s1", 10, 1, 1, 1, 0));
        m.accept(injected("ada", "s2", 30, 1, 1, 1, 1));
        m.accept(injected("ada", "s3", 10, 1, 1, 1, 1));
        SubstrateMetrics.EngineMetrics ada = m.snapshot().get(0);
        assertEquals(2.0 / 40, ada.flipYield(), 1e-12, "the window holds s2 and s3 only");
        assertEquals(3, ada.stimuli());
        assertEquals(50, ada.budgetTotal(), 1e-12, "totals count everything since start");
        assertEquals(2, ada.flipsTotal());
    }

    @Test
    void attributionIsTheBudgetEachFactorAddedOrRemoved() {
        SubstrateMetrics m = new SubstrateMetrics(10);
        // f = 1.5 added a third of 30 (30 − 30/1.5 = 10); g = 0.5 removed 30 (30 − 60 = −30); 1 + α = 1 added nothing
        m.accept(injected("acme", "s1", 30, 1.5, 0.5, 1.0, 1));
        Map<String, Double> shares = m.snapshot().get(0).attribution();
        assertEquals(1.0 / 3, shares.get("health"), 1e-12);
        assertEquals(-1.0, shares.get("source"), 1e-12);
        assertEquals(0.0, shares.get("peripheral"), 1e-12);
    }

    @Test
    void coverageEntropyIsOfTheEnergyDeliveredPerNode() {
        SubstrateMetrics m = new SubstrateMetrics(10);
        m.accept(injected("ada", "s1", 20, 1, 1, 1, 0));
        m.accept(item("ada", "s1", "a", 5));
        m.accept(item("ada", "s1", "b", 5));
        m.accept(injected("ada", "s2", 20, 1, 1, 1, 0));
        m.accept(item("ada", "s2", "a", 5));
        m.accept(item("ada", "s2", "b", 5));
        m.accept(item("felix", "s2", "f", 5)); // another engine's item: not ada's
        m.accept(item("ada", "old", "c", 50)); // not the engine's latest injection: ignored
        SubstrateMetrics.EngineMetrics ada = m.snapshot().get(0);
        assertEquals(Math.log(2), ada.coverageEntropy(), 1e-12, "two nodes, equal energy");
        assertEquals(2.0, ada.effectiveNodes(), 1e-12);

        SubstrateMetrics one = new SubstrateMetrics(10);
        one.accept(injected("ada", "s1", 20, 1, 1, 1, 0));
        one.accept(item("ada", "s1", "a", 9));
        assertEquals(0.0, one.snapshot().get(0).coverageEntropy(), 1e-12, "all on one node");
    }

    @Test
    void malformedEventsAreIgnoredNotFatal() {
        SubstrateMetrics m = new SubstrateMetrics(10);
        m.accept(Map.of("type", "stimulus.injected"));
        m.accept(Map.of("type", "stimulus.injected", "engine", "ada", "payload", Map.of("budget", "nope", "flips", "x")));
        m.accept(Map.of("type", "node.flipped", "engine", "ada", "payload", Map.of()));
        SubstrateMetrics.EngineMetrics ada = m.snapshot().get(0);
        assertEquals(0.0, ada.flipYield());
        assertEquals(1, ada.stimuli());
    }

    @Test
    void prometheusHasOneSeriesPerEngineAndFactor() {
        SubstrateMetrics m = new SubstrateMetrics(10);
        m.accept(injected("acme", "s1", 30, 1.5, 1, 1, 1));
        m.accept(injected("ada\"x", "s2", 10, 1, 1, 1, 0));
        StringBuilder out = new StringBuilder();
        m.prometheus(out);
        String text = out.toString();
        assertTrue(text.contains("membrane_engine_flip_yield{engine=\"acme\"} 0.0333"), text);
        assertTrue(text.contains("membrane_engine_budget_attribution_share{engine=\"acme\",factor=\"health\"} 0.333"), text);
        assertTrue(text.contains("membrane_engine_flips_total{engine=\"acme\"} 1.0"), text);
        assertTrue(text.contains("engine=\"ada\\\"x\""), "label values are escaped: " + text);
        assertEquals(List.of("acme", "ada\"x"), m.snapshot().stream().map(SubstrateMetrics.EngineMetrics::engine).toList());
    }
}
