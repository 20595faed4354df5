package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.Match;
import dev.membrane.graph.read.NodeRef;
import dev.membrane.protocol.EnvelopeException;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code targetNodes} (a mission's aligned nodes): those nodes, after checking they belong to the engines in play. */
public final class TargetNodes {
    private TargetNodes() {
    }

    /**
     * @param similarity each target's similarity where it is not 1 (a mission's aligned nodes: their fit)
     * @throws EnvelopeException when a target does not exist or belongs to no engine in play
     */
    public static List<Match> resolve(Transaction tx, Set<String> engineIds, List<String> ids, Map<String, Double> similarity) {
        List<Match> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Node n = tx.findNode(GraphModel.NODE, GraphModel.ID, id);
            if (n == null) {
                throw EnvelopeException.invalid("targetNodes", "no (:Node {id: '" + id + "'}) exists");
            }
            Object engine = n.getProperty(GraphModel.ENGINE_ID, null);
            if (!(engine instanceof String e) || !engineIds.contains(e)) {
                throw EnvelopeException.invalid("targetNodes", "node '" + id + "' does not belong to "
                        + (engineIds.size() == 1 ? "engine '" + engineIds.iterator().next() + "'" : "an engine of this scope"));
            }
            out.add(new Match(e, NodeRef.of(n), id, similarity.getOrDefault(id, 1.0), true));
        }
        return out;
    }
}
