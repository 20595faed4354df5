package dev.membrane.bridge.dashboard;

import dev.membrane.protocol.EventType;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The design's own measures of how well stimuli are used, per engine, computed from the SPEC §9 events the bridge
 * tails (the one definition: the dashboard shows these values and {@code /metrics} exports them).
 * <ul>
 * <li><b>flip yield</b>: flips per unit of final budget, {@code Σ flips / Σ budget.final} over the engine's last
 * {@code window} injections (the same ratio the source gate ranks sources by, SPEC §6.6);</li>
 * <li><b>coverage entropy</b>: {@code H = −Σ p_n ln p_n} of the energy delivered to each node over the items of those
 * injections ({@code stimulus.item_injected}, the top {@code auditItems} of each): low when stimuli keep landing on the
 * same few nodes, high when they spread over the substrate; {@code e^H} is the effective number of nodes reached;</li>
 * <li><b>attribution shares</b>: how much of the final budget came from each modulating factor of SPEC §6.3 — for a
 * factor {@code x} the budget it added (or, below 1, removed) is {@code final − final/x}; its share is the sum of that
 * over the window divided by the sum of final budgets. Positive: the factor amplified; negative: it damped.</li>
 * </ul>
 * Cumulative counts (injections, budget, flips) are kept too, for Prometheus counters. Concurrency: fed by the tail's
 * single thread, read by HTTP threads; one monitor.
 */
public final class SubstrateMetrics implements Consumer<Map<String, Object>> {
    /** Injections per engine the windowed measures cover, unless configured. */
    public static final int DEFAULT_WINDOW = 200;
    /** The factors of SPEC §6.3 whose share of the budget is attributed (keys of the event's {@code budget} map). */
    public static final List<String> FACTORS = List.of("health", "source", "peripheral");

    private final int window;
    private final Map<String, EngineWindow> engines = new TreeMap<>();

    public SubstrateMetrics(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("metrics window must be at least 1 injection, got " + window);
        }
        this.window = window;
    }

    /** One injection's contribution to its engine's window. */
    private record Injection(double budget, long flips, double[] added, List<Item> items) {
    }

    private record Item(String nodeId, double deltaE) {
    }

    private static final class EngineWindow {
        final ArrayDeque<Injection> recent = new ArrayDeque<>();
        /** Items of an injection arrive after its summary event, under the same stimulus id. */
        String lastStimulus;
        long stimuli;
        double budgetTotal;
        long flipsTotal;
    }

    @Override
    public synchronized void accept(Map<String, Object> event) {
        Object type = event.get("type");
        Object engine = event.get("engine");
        if (!(engine instanceof String id) || !(event.get("payload") instanceof Map<?, ?> payload)) {
            return;
        }
        if (EventType.STIMULUS_INJECTED.wire().equals(type)) {
            injected(id, (String) event.get("stimulusId"), payload);
        } else if (EventType.STIMULUS_ITEM_INJECTED.wire().equals(type)) {
            EngineWindow w = engines.get(id);
            if (w != null && !w.recent.isEmpty() && java.util.Objects.equals(w.lastStimulus, event.get("stimulusId"))
                    && payload.get("nodeId") instanceof String node) {
                double delta = number(payload.get("deltaE"));
                if (delta > 0) {
                    w.recent.peekLast().items().add(new Item(node, delta));
                }
            }
        }
    }

    private void injected(String engine, String stimulusId, Map<?, ?> payload) {
        Map<?, ?> budget = payload.get("budget") instanceof Map<?, ?> b ? b : Map.of();
        double fin = number(budget.get("final"));
        double[] added = new double[FACTORS.size()];
        for (int i = 0; i < added.length; i++) {
            double x = number(budget.get(FACTORS.get(i)));
            added[i] = x > 0 ? fin - fin / x : 0;
        }
        long flips = (long) number(payload.get("flips"));
        EngineWindow w = engines.computeIfAbsent(engine, e -> new EngineWindow());
        if (w.recent.size() == window) {
            w.recent.removeFirst();
        }
        w.recent.addLast(new Injection(fin, flips, added, new java.util.ArrayList<>()));
        w.lastStimulus = stimulusId;
        w.stimuli++;
        w.budgetTotal += fin;
        w.flipsTotal += flips;
    }

    private static double number(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    /** One engine's measures now. */
    public record EngineMetrics(String engine, long stimuli, double budgetTotal, long flipsTotal, int window,
                                double flipYield, double coverageEntropy, double effectiveNodes,
                                Map<String, Double> attribution) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", engine);
            m.put("stimuli", stimuli);
            m.put("budgetTotal", budgetTotal);
            m.put("flipsTotal", flipsTotal);
            m.put("window", window);
            m.put("flipYield", flipYield);
            m.put("coverageEntropy", coverageEntropy);
            m.put("effectiveNodes", effectiveNodes);
            m.put("attribution", attribution);
            return m;
        }
    }

    /** Every engine seen so far, by id. */
    public synchronized List<EngineMetrics> snapshot() {
        return engines.entrySet().stream().map(e -> measure(e.getKey(), e.getValue())).toList();
    }

    private static EngineMetrics measure(String engine, EngineWindow w) {
        double budget = 0;
        long flips = 0;
        double[] added = new double[FACTORS.size()];
        Map<String, Double> delivered = new HashMap<>();
        double total = 0;
        for (Injection i : w.recent) {
            budget += i.budget();
            flips += i.flips();
            for (int f = 0; f < added.length; f++) {
                added[f] += i.added()[f];
            }
            for (Item item : i.items()) {
                delivered.merge(item.nodeId(), item.deltaE(), Double::sum);
                total += item.deltaE();
            }
        }
        double entropy = 0;
        for (double d : delivered.values()) {
            double p = d / total;
            entropy -= p * Math.log(p);
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int f = 0; f < added.length; f++) {
            shares.put(FACTORS.get(f), budget > 0 ? added[f] / budget : 0.0);
        }
        return new EngineMetrics(engine, w.stimuli, w.budgetTotal, w.flipsTotal, w.recent.size(),
                budget > 0 ? flips / budget : 0.0, entropy, delivered.isEmpty() ? 0.0 : Math.exp(entropy), shares);
    }

    /** The Prometheus text lines of these measures (appended to the bridge's {@code /metrics}). */
    public void prometheus(StringBuilder out) {
        List<EngineMetrics> all = snapshot();
        gauge(out, "membrane_engine_flip_yield", "Flips per unit of final budget over the engine's last injections.", all,
                m -> m.flipYield());
        gauge(out, "membrane_engine_coverage_entropy", "Entropy (nats) of the energy delivered per node over the engine's last injections.",
                all, m -> m.coverageEntropy());
        out.append("# HELP membrane_engine_budget_attribution_share Share of the final budget added (negative: removed) by a factor.\n")
                .append("# TYPE membrane_engine_budget_attribution_share gauge\n");
        for (EngineMetrics m : all) {
            m.attribution().forEach((factor, share) -> out.append(String.format(Locale.ROOT,
                    "membrane_engine_budget_attribution_share{engine=\"%s\",factor=\"%s\"} %s%n", escape(m.engine()), factor, share)));
        }
        counter(out, "membrane_engine_injections_total", "Injections into the engine since the bridge started.", all, m -> m.stimuli());
        counter(out, "membrane_engine_budget_total", "Final budget given to the engine since the bridge started.", all, m -> m.budgetTotal());
        counter(out, "membrane_engine_flips_total", "Flips in the engine caused by injections since the bridge started.", all,
                m -> m.flipsTotal());
    }

    private static void gauge(StringBuilder out, String name, String help, List<EngineMetrics> all,
                              java.util.function.ToDoubleFunction<EngineMetrics> value) {
        series(out, name, help, "gauge", all, value);
    }

    private static void counter(StringBuilder out, String name, String help, List<EngineMetrics> all,
                                java.util.function.ToDoubleFunction<EngineMetrics> value) {
        series(out, name, help, "counter", all, value);
    }

    private static void series(StringBuilder out, String name, String help, String type, List<EngineMetrics> all,
                               java.util.function.ToDoubleFunction<EngineMetrics> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (EngineMetrics m : all) {
            out.append(String.format(Locale.ROOT, "%s{engine=\"%s\"} %s%n", name, escape(m.engine()), value.applyAsDouble(m)));
        }
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
