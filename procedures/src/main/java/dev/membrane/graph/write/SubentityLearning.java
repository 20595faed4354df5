package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.channels.ChannelOutcome;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.List;

/** SPEC §6.7: each subentity channel's success counters grow with the flips and the gap closed in it. */
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

}
