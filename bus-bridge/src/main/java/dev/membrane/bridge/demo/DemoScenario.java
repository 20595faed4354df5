package dev.membrane.bridge.demo;

import dev.membrane.bridge.embedding.TextEmbedder;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A short scripted scenario on the demo world whose effects are printed: stimuli go into engines through
 * {@code membrane.inject} and each result row is shown with its attribution; then envelopes go through
 * {@code membrane.integrate}, where engines select themselves and "Resurrect all citizens" crosses the membrane to
 * the best-fitted citizens, whose aligned nodes wake (printed with fit, κ, score, intensity and delivery).
 */
public final class DemoScenario {
    private record Step(String engine, String content, String note) {
    }

    private static final List<Step> STEPS = List.of(
            new Step("ada", "Design the event schema and the module boundaries for the membrane bus",
                    "a design stimulus for the architect: a strong match in a dormant engine (f = 1.5) flips"),
            new Step("ada", "Design the event schema and the module boundaries for the membrane bus",
                    "the same stimulus again: the flipped node is active (gap 0), so gap capping sends it nothing"),
            new Step("atlas", "The production database is slow",
                    "a vague complaint: weak matches, whose budget goes to the best of them first (priority fill)"),
            new Step("atlas", "Nightly database backup job failure alerts: restore the backup",
                    "a precise alarm (high similarity) flips the node it is about"),
            new Step("felix", "Flaky integration tests fail in the maven build",
                    "a broader stimulus: higher entropy keeps more matches"));

    private final GraphDatabaseService db;
    private final TextEmbedder embedder;
    private final PrintStream out;

    public DemoScenario(GraphDatabaseService db, TextEmbedder embedder, PrintStream out) {
        this.db = db;
        this.embedder = embedder;
        this.out = out;
    }

    public void run() {
        int i = 0;
        for (Step step : STEPS) {
            i++;
            out.printf("%n▶ %d. %s%n   stimulus → engine '%s': \"%s\"%n", i, step.note(), step.engine(), step.content());
            Map<String, Object> stimulus = new HashMap<>();
            stimulus.put("content", step.content());
            stimulus.put("embedding", embedder.embed(step.content()));
            stimulus.put("source", "script:demo");
            try (Transaction tx = db.beginTx();
                 Result r = tx.execute("CALL membrane.inject($engine, $stimulus, {})",
                         Map.of("engine", step.engine(), "stimulus", stimulus))) {
                Map<String, Object> row = r.next();
                print(tx, row);
                r.close();
                tx.commit();
            }
        }
        integrate(++i, "organizational", "ui:operator", "Resurrect all citizens: wake dormant citizens and restore their context");
        out.println("   (each mission is aimed at the citizen nodes aligned with the org node — structure, not similarity:");
        out.println("    an identity node shares no words with \"reanimation\"; iris, 4th by fit, gets no mission: maxTargets 3)");
        integrate(++i, "personal", "script:deploy", "The deploy script for the bus bridge fails in production");
        out.println();
        out.println("Active nodes per engine (activeCount):");
        try (Transaction tx = db.beginTx();
             Result r = tx.execute("""
                     MATCH (e:Engine) RETURN e.id AS engine, e.level AS level, e.activeCount AS active
                     ORDER BY level DESC, engine""")) {
            r.forEachRemaining(row -> out.printf("   %-6s (level %s): %s%n", row.get("engine"), row.get("level"), row.get("active")));
        }
    }

    /**
     * One envelope through membrane.integrate: no engine is named; the engines of the scope that match take it, and
     * when an org node flips, the membrane sends missions to the best-fitted citizens.
     */
    @SuppressWarnings("unchecked")
    private void integrate(int step, String scope, String source, String content) {
        out.printf("%n▶ %d. membrane.integrate: a%s %s-scope envelope that names no engine%n   \"%s\"%n", step,
                scope.startsWith("o") ? "n" : "", scope, content);
        Map<String, Object> envelope = new HashMap<>();
        envelope.put("type", "membrane.inject");
        envelope.put("id", "demo-" + step + "-" + System.currentTimeMillis()); // a rerun is new, not a duplicate
        envelope.put("scope", scope);
        envelope.put("source", source);
        envelope.put("channel", "demo");
        envelope.put("content", content);
        envelope.put("embedding", embedder.embed(content));
        try (Transaction tx = db.beginTx();
             Result r = tx.execute("CALL membrane.integrate([$e])", Map.of("e", envelope))) {
            Map<String, Object> row = r.next();
            r.close();
            out.printf(Locale.ROOT, "   status %s · engines that selected themselves: %d · delivered %.1f · flips %d%n",
                    row.get("status"), ((List<?>) row.get("engines")).size(), row.get("delivered"), row.get("flips"));
            for (Map<String, Object> engine : (List<Map<String, Object>>) row.get("engines")) {
                Map<String, Object> b = (Map<String, Object>) engine.get("budget");
                out.printf(Locale.ROOT, "   → %-6s budget %.1f (gain γ %.2f) · delivered %.1f · flips %d%n", engine.get("engine"),
                        b.get("final"), b.get("gain"), engine.get("delivered"), engine.get("flips"));
                for (Map<String, Object> item : (List<Map<String, Object>>) engine.get("items")) {
                    out.printf(Locale.ROOT, "       %s %-20s s=%.2f → +%5.1f%n", Boolean.TRUE.equals(item.get("flipped")) ? "⚡" : " ",
                            item.get("nodeId"), item.get("similarity"), item.get("deltaE"));
                }
            }
            for (Map<String, Object> t : (List<Map<String, Object>>) row.get("transfers")) {
                out.printf(Locale.ROOT, "   %s %s crossed %s to %-6s fit %.2f × κ %.2f → score %.3f, mission intensity %.2f → %s%n",
                        "down".equals(t.get("direction")) ? "⇣" : "⇡", t.get("nodeId"), t.get("direction"), t.get("to"),
                        t.get("fit"), t.get("kappa"), t.get("score"), t.get("intensity"), t.get("targetNodes"));
                List<String> woke = (List<String>) t.get("flippedNodes");
                List<String> awake = woke.isEmpty() ? alreadyActive(tx, (List<String>) t.get("targetNodes")) : List.of();
                out.printf(Locale.ROOT, "       %s: delivered %.3f · its mission flipped %d node(s)%s%s%n", t.get("status"),
                        t.get("delivered"), t.get("flips"), woke.isEmpty() ? "" : " · ⚡ woke " + String.join(", ", woke),
                        awake.isEmpty() ? "" : " · " + String.join(", ", awake) + " was already awake (topped up)");
            }
            tx.commit();
        }
    }

    /** Which of these nodes are active now (a mission to an awake node only tops it up). */
    private static List<String> alreadyActive(Transaction tx, List<String> ids) {
        List<String> out = new java.util.ArrayList<>();
        tx.execute("MATCH (n:Node) WHERE n.id IN $ids AND n:Active RETURN n.id AS id ORDER BY id", Map.of("ids", ids))
                .forEachRemaining(r -> out.add((String) r.get("id")));
        return out;
    }

    @SuppressWarnings("unchecked")
    private void print(Transaction tx, Map<String, Object> row) {
        Map<String, Object> b = (Map<String, Object>) row.get("budget");
        out.printf(Locale.ROOT, "   matches %d (entropy %.2f, coverage %.2f) · budget %.1f = %.1f × health %.2f × source %.2f × peripheral %.2f × gain %.2f%n",
                row.get("matches"), row.get("entropy"), row.get("coverage"), b.get("final"), b.get("base"), b.get("health"),
                b.get("source"), b.get("peripheral"), b.get("gain"));
        out.printf(Locale.ROOT, "   delivered %.1f · flips %d · refractory loss %.1f%n",
                row.get("delivered"), row.get("flips"), row.get("refractoryLoss"));
        List<Map<String, Object>> items = (List<Map<String, Object>>) row.get("items");
        if (items.isEmpty()) {
            out.println("   (no node of this engine has room left for this stimulus)");
        }
        for (Map<String, Object> item : items) {
            String id = (String) item.get("nodeId");
            Object text = tx.execute("MATCH (n:Node {id: $id}) RETURN n.text AS t", Map.of("id", id)).next().get("t");
            out.printf(Locale.ROOT, "     %s %-20s s=%.2f gap %5.1f → +%5.1f  %s%n",
                    Boolean.TRUE.equals(item.get("flipped")) ? "⚡" : " ", id, item.get("similarity"), item.get("gapBefore"),
                    item.get("deltaE"), clip(String.valueOf(text)));
        }
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
