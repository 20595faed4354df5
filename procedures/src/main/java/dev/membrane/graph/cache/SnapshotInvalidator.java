package dev.membrane.graph.cache;

import dev.membrane.graph.model.GraphModel;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.LabelEntry;
import org.neo4j.graphdb.event.PropertyEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@link EngineSnapshots} honest: before a commit it collects the engines whose snapshot content the
 * transaction changes (nodes created or deleted, {@code :Node} labels, the {@code id}, {@code engine} or
 * {@code embedding} of a node, links with embeddings); after the commit it invalidates them. Energy writes, the
 * bulk of Membrane's own writes, touch none of these and cost one key comparison each. When an engine cannot be
 * determined (a link whose start node was deleted too), every snapshot is dropped. Never writes to the graph.
 */
public final class SnapshotInvalidator implements TransactionEventListener<SnapshotInvalidator.Affected> {
    private static final Set<String> NODE_KEYS = Set.of(GraphModel.ID, GraphModel.ENGINE_ID, GraphModel.EMBEDDING);

    /** Engines touched by one transaction; {@code all} when unknown. */
    public record Affected(Set<String> engines, boolean all) {
    }

    private final EngineSnapshots snapshots;

    public SnapshotInvalidator(EngineSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public Affected beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService db) {
        Set<String> engines = new HashSet<>();
        Map<String, String> deletedNodeEngines = new HashMap<>();
        boolean all = false;
        for (PropertyEntry<Node> p : data.removedNodeProperties()) {
            if (p.key().equals(GraphModel.ENGINE_ID) && p.previouslyCommittedValue() instanceof String e) {
                engines.add(e);
                deletedNodeEngines.put(p.entity().getElementId(), e);
            } else if (NODE_KEYS.contains(p.key())) {
                all |= !addEngineOf(p.entity(), data, engines);
            }
        }
        for (PropertyEntry<Node> p : data.assignedNodeProperties()) {
            if (!NODE_KEYS.contains(p.key())) {
                continue;
            }
            addEngineOf(p.entity(), data, engines);
            if (p.key().equals(GraphModel.ENGINE_ID) && p.previouslyCommittedValue() instanceof String old) {
                engines.add(old);
            }
        }
        // created nodes and links need no loops of their own: every property of a created entity is in the assigned
        // lists above and below (a per-entity loop read a property of each of a batch's ~16,000 new INJECTED rels)
        for (LabelEntry l : data.assignedLabels()) {
            if (l.label().equals(GraphModel.NODE)) {
                addEngineOf(l.node(), data, engines);
            }
        }
        for (LabelEntry l : data.removedLabels()) {
            if (l.label().equals(GraphModel.NODE)) {
                all |= !addEngineOf(l.node(), data, engines) && !deletedNodeEngines.containsKey(l.node().getElementId());
            }
        }
        Set<String> embeddedDeleted = new HashSet<>();
        for (PropertyEntry<Relationship> p : data.removedRelationshipProperties()) {
            if (p.key().equals(GraphModel.EMBEDDING)) {
                embeddedDeleted.add(p.entity().getElementId());
                if (!data.isDeleted(p.entity())) {
                    all |= !addEngineOf(p.entity().getStartNode(), data, engines);
                }
            }
        }
        for (Relationship r : data.deletedRelationships()) {
            if (embeddedDeleted.contains(r.getElementId())) {
                all = true; // its start node may be gone too; rare enough to drop everything
            }
        }
        for (PropertyEntry<Relationship> p : data.assignedRelationshipProperties()) {
            if (p.key().equals(GraphModel.EMBEDDING)) {
                all |= !addEngineOf(p.entity().getStartNode(), data, engines);
            }
        }
        return new Affected(engines, all);
    }

    /** Adds the node's engine; false when it cannot be read (the node was deleted). */
    private static boolean addEngineOf(Node n, TransactionData data, Set<String> engines) {
        if (data.isDeleted(n)) {
            return false;
        }
        if (n.getProperty(GraphModel.ENGINE_ID, null) instanceof String e) {
            engines.add(e);
        }
        return true;
    }

    @Override
    public void afterCommit(TransactionData data, Affected affected, GraphDatabaseService db) {
        if (affected == null) {
            return;
        }
        if (affected.all()) {
            snapshots.invalidateAll();
        } else if (!affected.engines().isEmpty()) {
            snapshots.invalidate(affected.engines());
        }
    }

    @Override
    public void afterRollback(TransactionData data, Affected affected, GraphDatabaseService db) {
        // Nothing was committed: the cache still matches the graph.
    }
}
