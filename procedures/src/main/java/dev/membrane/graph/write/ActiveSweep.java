package dev.membrane.graph.write;

import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.physics.energy.NodeState;
import dev.membrane.protocol.EventType;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps an engine's {@code activeCount} exact (SPEC §6.5): walks only the engine's {@code :Active} nodes (the
 * tracked active set, indexed by engine), removes the label from those that decayed below their deactivation
 * level, emits {@code node.deactivated} for each, and stores the true count. Cost: the engine's active nodes, not
 * its size. The caller holds the engine's write lock, so concurrent injections cannot interleave counts.
 */
public final class ActiveSweep {
    private ActiveSweep() {
    }

    public static long sweep(Transaction tx, Node engine, String engineId, NodeStates states,
                             TransactionBuffers.Buffer buffer, String stimulusId) {
        List<Node> flagged = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.ACTIVE, GraphModel.ENGINE_ID, engineId)) {
            it.forEachRemaining(flagged::add);
        }
        long active = 0;
        for (Node n : flagged) {
            active += keepOrDeactivate(n, states, buffer, stimulusId) ? 1 : 0;
        }
        engine.setProperty(GraphModel.ACTIVE_COUNT, active);
        return active;
    }

    /**
     * True when {@code n} is still active; otherwise removes its {@code :Active} label and buffers
     * {@code node.deactivated}.
     */
    public static boolean keepOrDeactivate(Node n, NodeStates states, TransactionBuffers.Buffer buffer, String stimulusId) {
        NodeState s = states.read(n);
        if (s.active()) {
            return true;
        }
        n.removeLabel(GraphModel.ACTIVE);
        String engineId = n.getProperty(GraphModel.ENGINE_ID, null) instanceof String e ? e : null;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("nodeId", n.getProperty(GraphModel.ID, null));
        p.put("engine", engineId);
        p.put("energy", s.energy());
        p.put("threshold", s.threshold());
        buffer.add(new PendingEvent(EventType.NODE_DEACTIVATED, states.now(), engineId, stimulusId, p));
        return false;
    }
}
