package dev.membrane.graph.read;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.OptionalDouble;

/** SPEC §6.6: x = max cos(stimulus, the engine's {@code peripheral: true} nodes), through the (engine, peripheral) index. */
public final class PeripheralContext {
    private PeripheralContext() {
    }

    /** Empty when the engine has no peripheral node with an embedding of the stimulus' length. */
    public static OptionalDouble maxSimilarity(Transaction tx, String engineId, float[] stimulus) {
        double qn = VectorMath.norm(stimulus);
        double best = -1;
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.NODE, GraphModel.ENGINE_ID, engineId, GraphModel.PERIPHERAL, true)) {
            while (it.hasNext()) {
                Object emb = it.next().getProperty(GraphModel.EMBEDDING, null);
                if (emb instanceof float[] f && f.length == stimulus.length) {
                    best = Math.max(best, VectorMath.similarity(VectorMath.cosine(stimulus, qn, f)));
                } else if (emb instanceof double[] d && d.length == stimulus.length) {
                    best = Math.max(best, VectorMath.similarity(VectorMath.cosine(stimulus, qn, d)));
                }
            }
        }
        return best < 0 ? OptionalDouble.empty() : OptionalDouble.of(best);
    }
}
