package dev.membrane.graph.read;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * SPEC §6.6: x = max cos(stimulus, the engine's {@code peripheral: true} nodes). The rows are read through the
 * (engine, peripheral) index once per engine and call ({@link #rows}) and then compared with every envelope of the
 * call: the plugin never changes the flag, and one index seek per envelope and engine was ~11 % of a batch-500
 * {@code integrate} call at 100k nodes (JFR), mostly for engines with no peripheral node at all.
 */
public final class PeripheralContext {
    private PeripheralContext() {
    }

    /** The embeddings of {@code engineId}'s peripheral nodes (double[] stored ones as float[]); empty when none. */
    public static List<float[]> rows(Transaction tx, String engineId) {
        List<float[]> rows = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.NODE, GraphModel.ENGINE_ID, engineId, GraphModel.PERIPHERAL, true)) {
            while (it.hasNext()) {
                Object emb = it.next().getProperty(GraphModel.EMBEDDING, null);
                if (emb instanceof float[] f) {
                    rows.add(f);
                } else if (emb instanceof double[] d) {
                    float[] f = new float[d.length];
                    for (int i = 0; i < d.length; i++) {
                        f[i] = (float) d[i];
                    }
                    rows.add(f);
                }
            }
        }
        return rows;
    }

    /** Empty when no row has the stimulus' length. */
    public static OptionalDouble maxSimilarity(List<float[]> rows, float[] stimulus) {
        double qn = VectorMath.norm(stimulus);
        double best = -1;
        for (float[] f : rows) {
            if (f.length == stimulus.length) {
                best = Math.max(best, VectorMath.similarity(VectorMath.cosine(stimulus, qn, f)));
            }
        }
        return best < 0 ? OptionalDouble.empty() : OptionalDouble.of(best);
    }
}
