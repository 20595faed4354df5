package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.NodeRef;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Engines too large for a snapshot: Neo4j's node vector index, over-fetched ({@code kMax · indexOverfetch}) and
 * filtered to the engines in play (nodes only). The index reports (1 + cos)/2; it is converted back to a cosine.
 */
public final class VectorIndexSearch {
    private static final String QUERY = """
            CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score
            WHERE node.engine IN $engines
            RETURN node, score""";

    private VectorIndexSearch() {
    }

    public static void search(Transaction tx, List<String> engineIds, float[] query, long fetch, List<Hit> hits) {
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_EMBEDDING_INDEX);
        params.put("k", fetch);
        params.put("vector", query);
        params.put("engines", engineIds);
        try (Result r = tx.execute(QUERY, params)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                double s = VectorMath.similarity(VectorMath.cosineFromIndexScore(((Number) row.get("score")).doubleValue()));
                add(hits, (Node) row.get("node"), s);
            }
        } catch (QueryExecutionException e) {
            throw missingIndex(GraphModel.NODE_EMBEDDING_INDEX, e);
        }
    }

    static void add(List<Hit> hits, Node n, double similarity) {
        if (similarity > 0 && n.getProperty(GraphModel.ID, null) instanceof String id
                && n.getProperty(GraphModel.ENGINE_ID, null) instanceof String engine) {
            hits.add(new Hit(engine, id, similarity, NodeRef.of(n), null));
        }
    }

    static IllegalStateException missingIndex(String index, QueryExecutionException e) {
        return new IllegalStateException("Retrieval needs the index '" + index + "': call membrane.setup() first ("
                + e.getMessage() + ")", e);
    }
}
