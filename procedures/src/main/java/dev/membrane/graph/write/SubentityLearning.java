package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.channels.ChannelOutcome;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.List;

/** SPEC §6.7, §8: the one owner of the subentities' success counters. Each subentity channel's success counters grow with the flips and the gap closed in it. */
public final class SubentityLearning {
    private SubentityLearning() {
    }

    public static void record(Transaction tx, List<ChannelOutcome> channels) {
        for (ChannelOutcome c : channels) {
            if (c.id() == null) {
                continue;
            }
            Node s = tx.findNode(GraphModel.SUBENTITY, GraphModel.ID, c.id());
            if (s == null) {
                continue;
            }
            s.setProperty(GraphModel.SUCCESS_FLIPS, PropertyValues.number(s, GraphModel.SUCCESS_FLIPS, 0) + c.flips());
            s.setProperty(GraphModel.SUCCESS_GAP, PropertyValues.number(s, GraphModel.SUCCESS_GAP, 0) + c.gapClosed());
            s.setProperty(GraphModel.OBS, PropertyValues.integer(s, GraphModel.OBS, 0) + 1);
        }
    }

    /**
     * SPEC §8: a successful outcome of a stimulus gives each subentity with a member among the nodes it reached one
     * success flip (once per subentity, however many of its members were reached).
     */
    public static void rewardOutcome(Iterable<Node> reached) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Node n : reached) {
            for (org.neo4j.graphdb.Relationship m : n.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.MEMBER_OF)) {
                Node e = m.getEndNode();
                if (e.hasLabel(GraphModel.SUBENTITY) && seen.add(e.getElementId())) {
                    e.setProperty(GraphModel.SUCCESS_FLIPS, PropertyValues.number(e, GraphModel.SUCCESS_FLIPS, 0) + 1);
                }
            }
        }
    }
}
