package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.protocol.Envelope;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes one engine's injection outcome (SPEC §6.8): energies with their new timestamp, refractory and flip
 * counters and the {@code :Active} label on flips, and the {@code :Stimulus} audit with its top
 * {@code auditItems} {@code INJECTED} relationships. (The engine's {@code activeCount} is written by
 * {@code EngineInjector.flush}.)
 */
public final class InjectionWriter {
    private final int auditItems;

    public InjectionWriter(int auditItems) {
        this.auditItems = auditItems;
    }

    /**
     * @param nodes the retrieved nodes by id (the ones the outcome's items name)
     * @param now   the clock's now: the new {@code energy_at} of every written node
     */
    public void writeNodes(Node engine, InjectionOutcome outcome, Map<String, Node> nodes, long now) {
        for (ItemOutcome item : outcome.items()) {
            if (item.deltaE() <= 0) {
                continue;
            }
            Node n = nodes.get(item.nodeId());
            n.setProperty(GraphModel.ENERGY, item.energyAfter());
            n.setProperty(GraphModel.ENERGY_AT, now);
            if (item.flipped()) {
                n.setProperty(GraphModel.REFRACTORY_AT, now);
                n.addLabel(GraphModel.ACTIVE);
                n.setProperty(GraphModel.FLIPS, PropertyValues.integer(n, GraphModel.FLIPS, 0) + 1);
            }
        }
    }

    /** Creates the audit node of a stimulus that reached {@code engines}, with its largest deliveries. */
    public Node writeAudit(Transaction tx, Envelope stimulus, List<String> engines, List<InjectionOutcome> outcomes,
                           Map<String, Node> nodes, Map<String, String> reasons, String status) {
        Node s = tx.createNode(GraphModel.STIMULUS);
        s.setProperty(GraphModel.ID, stimulus.id());
        s.setProperty(GraphModel.STIMULUS_SOURCE, stimulus.source());
        if (stimulus.scope() != null) {
            s.setProperty(GraphModel.STIMULUS_SCOPE, stimulus.scope().wire());
        }
        s.setProperty(GraphModel.CHANNEL, stimulus.channel());
        s.setProperty(GraphModel.TS, stimulus.tsMillis());
        s.setProperty(GraphModel.ENGINES, engines.toArray(String[]::new));
        s.setProperty(GraphModel.BUDGET, outcomes.stream().mapToDouble(o -> o.budget().value()).sum());
        s.setProperty(GraphModel.DELIVERED, outcomes.stream().mapToDouble(InjectionOutcome::delivered).sum());
        s.setProperty(GraphModel.STIMULUS_FLIPS, (long) outcomes.stream().mapToInt(InjectionOutcome::flips).sum());
        s.setProperty(GraphModel.STATUS, status);
        if (stimulus.dedupeKey() != null) {
            s.setProperty(GraphModel.DEDUPE_KEY, stimulus.dedupeKey());
        }
        if (!outcomes.isEmpty()) {
            s.setProperty(GraphModel.POLICY, outcomes.get(0).policy().wire());
        }
        List<ItemOutcome> items = new ArrayList<>();
        outcomes.forEach(o -> items.addAll(o.items()));
        items.sort(Comparator.comparingDouble(ItemOutcome::deltaE).reversed().thenComparing(ItemOutcome::nodeId));
        for (ItemOutcome item : items.subList(0, Math.min(auditItems, items.size()))) {
            if (item.deltaE() <= 0) {
                break;
            }
            Relationship r = s.createRelationshipTo(nodes.get(item.nodeId()), GraphModel.INJECTED);
            r.setProperty(GraphModel.DELTA_E, item.deltaE());
            r.setProperty(GraphModel.SIMILARITY, item.similarity());
            r.setProperty(GraphModel.GAP_BEFORE, item.gapBefore());
            r.setProperty(GraphModel.REASON, reasons.getOrDefault(item.nodeId(), GraphModel.REASON_SIMILARITY));
        }
        return s;
    }
}
