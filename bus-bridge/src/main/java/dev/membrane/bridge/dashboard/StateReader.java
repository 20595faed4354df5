package dev.membrane.bridge.dashboard;

import dev.membrane.bridge.neo4j.Database;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's read-only view of the graph, over Bolt, through the plugin's own state procedures
 * ({@code membrane.health}, {@code membrane.membranes}, {@code membrane.sources}, SPEC §10) and two plain reads (the
 * nodes to draw, one stimulus's audit). Every statement is a constant with parameters; nothing is concatenated.
 */
final class StateReader {
    private static final String ENGINES = """
            MATCH (e:Engine) WITH e ORDER BY e.level DESC, e.id
            CALL membrane.health(e.id) YIELD activeCount, activeTarget, rho, health, trained, samples
            RETURN e.id AS id, e.level AS level, e.scope AS scope, activeCount, activeTarget, rho, health, trained, samples""";
    private static final String NODES = """
            MATCH (n:Node) WHERE n.engine IS NOT NULL
            RETURN n.id AS id, n.engine AS engine, coalesce(n.energy, 0.0) AS energy, n.threshold AS threshold,
                   n:Active AS active, coalesce(n.peripheral, false) AS peripheral
            ORDER BY engine, id LIMIT $max""";
    private static final String NODE_COUNT = "MATCH (n:Node) RETURN count(n) AS c";
    private static final String THRESHOLD_DEFAULT = "CALL membrane.config() YIELD key, value WHERE key = 'thresholdDefault' RETURN value";
    private static final String MEMBRANES = "CALL membrane.membranes() YIELD membrane, from, to, kappaUp, kappaDown, effEma, flow, transfers "
            + "RETURN membrane, from, to, kappaUp, kappaDown, effEma, flow, transfers";
    private static final String SOURCES = "CALL membrane.sources() YIELD id, trust, utility, harm, mass, count, yieldEma, yieldObs, gate "
            + "RETURN id, trust, utility, harm, mass, count, yieldEma, yieldObs, gate";
    private static final String STIMULUS = """
            MATCH (s:Stimulus {id: $id})
            OPTIONAL MATCH (s)-[r:INJECTED]->(n:Node)
            WITH s, r, n ORDER BY r.deltaE DESC
            WITH s, collect(CASE WHEN n IS NULL THEN null ELSE {nodeId: n.id, engine: n.engine, deltaE: r.deltaE,
                 similarity: r.similarity, gapBefore: r.gapBefore, reason: r.reason} END) AS items
            OPTIONAL MATCH (t:Transfer)-[:CARRIED]->(s)
            RETURN s.id AS id, s.source AS source, s.scope AS scope, s.channel AS channel, s.ts AS ts, s.engines AS engines,
                   s.budget AS budget, s.delivered AS delivered, s.flips AS flips, s.status AS status, items,
                   collect(t {.id, .direction, .membrane, .score, .status}) AS transfers""";

    private static final String EVENTS = """
            CALL membrane.events($since, $limit) YIELD seq, type, ts, engine, stimulusId, payload
            WITH * WHERE type <> 'events.gap' AND seq <= $upTo AND ($stimulusId IS NULL OR stimulusId = $stimulusId)
            RETURN seq, type, ts, engine, stimulusId, payload""";

    private final Database database;
    private final int maxNodes;

    StateReader(Database database, int maxNodes) {
        this.database = database;
        this.maxNodes = maxNodes;
    }

    /**
     * Engines with their health, membranes and sources, and (with {@code withNodes}) the first {@code maxNodes} nodes, in
     * one read transaction.
     */
    Map<String, Object> state(boolean withNodes) {
        try (Session s = database.session()) {
            return s.executeRead(tx -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("engines", rows(tx, ENGINES, Map.of()));
                if (withNodes) {
                    m.put("nodes", rows(tx, NODES, Map.of("max", maxNodes)));
                    m.put("nodeCount", tx.run(NODE_COUNT).single().get("c").asLong());
                }
                m.put("thresholdDefault", tx.run(THRESHOLD_DEFAULT).single().get("value").asDouble());
                m.put("membranes", rows(tx, MEMBRANES, Map.of()));
                m.put("sources", rows(tx, SOURCES, Map.of()));
                return m;
            });
        }
    }

    /**
     * One stimulus's audit: its node, the nodes it reached ({@code INJECTED}), the transfers it carried, and its events
     * among the last {@code lookBack} up to {@code upTo} (the budget breakdown per engine lives in its
     * {@code stimulus.injected} events); null if no such stimulus is stored.
     */
    Map<String, Object> stimulus(String id, long upTo, int lookBack) {
        try (Session s = database.session()) {
            return s.executeRead(tx -> {
                List<Map<String, Object>> rows = rows(tx, STIMULUS, Map.of("id", id));
                if (rows.isEmpty()) {
                    return null;
                }
                Map<String, Object> m = new LinkedHashMap<>(rows.get(0));
                m.put("events", events(tx, upTo, lookBack, id));
                return m;
            });
        }
    }

    /** The last {@code count} events up to {@code upTo} from the plugin's ring (SPEC §9), oldest first. */
    List<Map<String, Object>> recent(long upTo, int count) {
        try (Session s = database.session()) {
            return s.executeRead(tx -> events(tx, upTo, count, null));
        }
    }

    private static List<Map<String, Object>> events(TransactionContext tx, long upTo, int count, String stimulusId) {
        if (upTo < 0) {
            return List.of();
        }
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("since", Math.max(-1, upTo - count));
        p.put("limit", count);
        p.put("upTo", upTo);
        p.put("stimulusId", stimulusId);
        return rows(tx, EVENTS, p);
    }

    private static List<Map<String, Object>> rows(TransactionContext tx, String query, Map<String, Object> params) {
        return tx.run(query, params).list(Record::asMap);
    }
}
