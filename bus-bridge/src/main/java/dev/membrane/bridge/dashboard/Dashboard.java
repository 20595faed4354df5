package dev.membrane.bridge.dashboard;

import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.neo4j.Database;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live page's server side (served by the bus at {@code GET /}, docs/dashboard.md): its read-only JSON API — the
 * state a page starts from (with the recent events of the plugin's ring), the substrate measures, one stimulus's
 * audit. Live updates reach the page over the bus's own WebSocket ({@code subscribe}); this class only answers the
 * reads a page makes when it opens, every few seconds for its charts, and when a stimulus is clicked.
 *
 * @param maxNodes the most nodes a state read returns (the page draws them all; see {@link #DEFAULT_MAX_NODES})
 */
public final class Dashboard implements AutoCloseable {
    /** Nodes sent to a page at most, unless {@code --dashboard-nodes} says otherwise: the page draws 5,000 without stutter. */
    public static final int DEFAULT_MAX_NODES = 5_000;
    /**
     * Recent events a page starts with (its lists of stimuli, flips and transfers), and how far back the stimulus
     * inspector looks for a stimulus's events: read from the plugin's ring, so at most its {@code eventsMaxLimit}.
     */
    public static final int DEFAULT_RECENT_EVENTS = 2_000;

    private final EventTail tail;
    private final StateReader reader;
    private final int recentEvents;
    private final SubstrateMetrics metrics;

    public Dashboard(Database database, EventTail tail, int maxNodes, int recentEvents, int metricsWindow) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("dashboard nodes must be at least 1, got " + maxNodes);
        }
        this.tail = tail;
        this.reader = new StateReader(database, maxNodes);
        if (recentEvents < 1) {
            throw new IllegalArgumentException("dashboard recent events must be at least 1, got " + recentEvents);
        }
        this.recentEvents = recentEvents;
        this.metrics = new SubstrateMetrics(metricsWindow);
        tail.subscribe(metrics);
    }

    public static Dashboard withDefaults(Database database, EventTail tail) {
        return new Dashboard(database, tail, DEFAULT_MAX_NODES, DEFAULT_RECENT_EVENTS, SubstrateMetrics.DEFAULT_WINDOW);
    }

    /**
     * What a page starts from: {@code seq} is the newest event the state reflects (read before the graph, so an event
     * after it is applied on top — energies are absolute, transfers keyed by id, so applying one twice is harmless);
     * {@code recent} are the retained events up to {@code seq}. Without nodes: the slow-moving part a page polls for
     * its charts (health, κ, sources, measures).
     */
    Map<String, Object> state(boolean withNodes) {
        long seq = tail.lastSeq();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.putAll(reader.state(withNodes));
        if (withNodes) {
            m.put("recent", reader.recent(seq, recentEvents));
        }
        m.put("metrics", metrics());
        return m;
    }

    List<Map<String, Object>> metrics() {
        return metrics.snapshot().stream().map(SubstrateMetrics.EngineMetrics::toMap).toList();
    }

    /** A stimulus's audit and its retained events, or null when no such stimulus is stored. */
    Map<String, Object> stimulus(String id) {
        return reader.stimulus(id, tail.lastSeq(), recentEvents);
    }

    /** Appends the substrate measures to {@code /metrics}. */
    public void prometheus(StringBuilder out) {
        metrics.prometheus(out);
    }

    @Override
    public void close() {
        tail.unsubscribe(metrics);
    }
}
