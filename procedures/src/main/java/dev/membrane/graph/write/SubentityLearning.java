package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
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
            s.setProperty(GraphModel.SUCCESS_FLIPS, number(s, GraphModel.SUCCESS_FLIPS) + c.flips());
            s.setProperty(GraphModel.SUCCESS_GAP, number(s, GraphModel.SUCCESS_GAP) + c.gapClosed());
            s.setProperty(GraphModel.OBS, (long) number(s, GraphModel.OBS) + 1);
        }
    }

    private static double number(Node n, String key) {
        return n.getProperty(key, 0) instanceof Number x && Double.isFinite(x.doubleValue()) ? x.doubleValue() : 0;
    }
}
