package dev.membrane.graph.cache;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A derived, rebuildable copy of every source's flip-yield EMA and observation count (SPEC §6.6), so the source
 * gate can rank a source without reading every {@code :Source} node. The truth stays on the nodes: the copy is
 * loaded from them on first use and updated only after a transaction that changed them committed.
 * <p>Concurrency: a {@link ConcurrentHashMap} of immutable entries; loading is guarded by {@code this}.
 */
public final class SourceYields {
    /** One source's yield state. */
    public record Entry(double ema, long observations) {
    }

    /** Where a source stands among the warmed-up ones. */
    public record Rank(long atOrBelow, long warmedUp) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    private void ensureLoaded(Transaction tx) {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (loaded) {
                return;
            }
            try (ResourceIterator<Node> it = tx.findNodes(GraphModel.SOURCE)) {
                while (it.hasNext()) {
                    Node s = it.next();
                    if (s.getProperty(GraphModel.ID, null) instanceof String id) {
                        entries.putIfAbsent(id, new Entry(PropertyValues.number(s, GraphModel.YIELD_EMA, 0),
                                PropertyValues.integer(s, GraphModel.YIELD_OBS, 0)));
                    }
                }
            }
            loaded = true;
        }
    }

    /**
     * Ranks {@code sourceId} with its current state (which may not be committed yet) against the other sources.
     * O(number of sources): cheap up to hundreds of thousands of sources per call.
     */
    public Rank rank(Transaction tx, String sourceId, Entry current, int warmup) {
        ensureLoaded(tx);
        long below = 0;
        long warmed = 0;
        boolean selfWarm = current.observations() >= warmup;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getKey().equals(sourceId) || e.getValue().observations() < warmup) {
                continue;
            }
            warmed++;
            if (e.getValue().ema() <= current.ema()) {
                below++;
            }
        }
        if (selfWarm) {
            warmed++;
            below++;
        }
        return new Rank(below, warmed);
    }

    /** After commit: the source's new committed state. */
    public void update(String sourceId, Entry committed) {
        entries.put(sourceId, committed);
    }
}
