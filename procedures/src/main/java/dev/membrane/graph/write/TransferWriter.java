package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.List;

/**
 * Writes the {@code :Transfer} audit of one membrane crossing (SPEC §2, §7.1 step 6) after its mission ran, with what
 * the mission did: {@code -[:FROM]->} the flipped node, {@code -[:TO]->} the target engine, {@code -[:CARRIED]->} the
 * mission's stimulus.
 */
public final class TransferWriter {
    private TransferWriter() {
    }

    /** One crossing as it happened. */
    public record Crossing(String id, String direction, String membrane, double score, double fit, double kappa,
                           double intensity, long ts, String target, List<String> targetNodes, String mission,
                           String cause, String causeSource, double delivered, long flips) {
        public String status() {
            return delivered > 0 ? GraphModel.TRANSFER_DELIVERED : GraphModel.TRANSFER_ABSORBED;
        }
    }

    public static Node write(Transaction tx, Crossing c, Node flipped, Node targetEngine, Node missionStimulus) {
        Node t = tx.createNode(GraphModel.TRANSFER);
        t.setProperty(GraphModel.ID, c.id());
        t.setProperty(GraphModel.DIRECTION, c.direction());
        t.setProperty(GraphModel.MEMBRANE, c.membrane());
        t.setProperty(GraphModel.SCORE, c.score());
        t.setProperty(GraphModel.FIT, c.fit());
        t.setProperty(GraphModel.KAPPA, c.kappa());
        t.setProperty(GraphModel.INTENSITY, c.intensity());
        t.setProperty(GraphModel.TS, c.ts());
        t.setProperty(GraphModel.STATUS, c.status());
        t.setProperty(GraphModel.DELIVERED, c.delivered());
        t.setProperty(GraphModel.STIMULUS_FLIPS, c.flips());
        t.setProperty(GraphModel.TARGET, c.target());
        t.setProperty(GraphModel.TARGET_NODES, c.targetNodes().toArray(String[]::new));
        t.setProperty(GraphModel.MISSION, c.mission());
        t.setProperty(GraphModel.CAUSE, c.cause());
        t.setProperty(GraphModel.CAUSE_SOURCE, c.causeSource());
        t.createRelationshipTo(flipped, GraphModel.FROM);
        t.createRelationshipTo(targetEngine, GraphModel.TO);
        if (missionStimulus != null) {
            t.createRelationshipTo(missionStimulus, GraphModel.CARRIED);
        }
        return t;
    }
}
