package dev.membrane.bench;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntBinaryOperator;

/** The benchmarks' graph and envelopes: personal engines of clustered nodes, stimuli near a topic. */
final class BenchGraph {
    private BenchGraph() {
    }

    /**
     * Loads {@code engines} personal engines ({@code c<e>}) of {@code nodesPerEngine} nodes, one transaction per engine;
     * node i of engine e is topic {@code topicOf(e, i)} plus noise of the topic's norm (cosine ≈ 0.7 to it).
     */
    static void load(GraphDatabaseService db, int engines, int nodesPerEngine, float[][] topics, IntBinaryOperator topicOf,
                     Random r) {
        int dims = topics[0].length;
        for (int e = 0; e < engines; e++) {
            try (Transaction tx = db.beginTx()) {
                Node engine = tx.createNode(Label.label("Engine"));
                engine.setProperty("id", "c" + e);
                engine.setProperty("scope", "personal");
                engine.setProperty("level", 1L);
                for (int i = 0; i < nodesPerEngine; i++) {
                    Node n = tx.createNode(Label.label("Node"));
                    n.setProperty("id", "c" + e + "-" + i);
                    n.setProperty("engine", "c" + e);
                    n.setProperty("threshold", 30.0);
                    n.setProperty("embedding", InjectionQualityBench.unit(InjectionQualityBench.add(
                            topics[topicOf.applyAsInt(e, i)], InjectionQualityBench.gaussian(r, dims, 1.0 / Math.sqrt(dims)))));
                }
                tx.commit();
            }
        }
    }

    /** A stimulus near a random topic: the topic plus noise of half its norm, unit length. */
    static float[] stimulus(float[][] topics, Random r) {
        int dims = topics[0].length;
        return InjectionQualityBench.unit(InjectionQualityBench.add(topics[r.nextInt(topics.length)],
                InjectionQualityBench.gaussian(r, dims, 0.5 / Math.sqrt(dims))));
    }

    /** A personal-scope envelope carrying {@code v} as its embedding. */
    static Map<String, Object> envelope(String id, String source, float[] v) {
        return envelope(id, source, list(v));
    }

    /** A personal-scope envelope carrying {@code embedding} (a list of numbers) as its embedding. */
    static Map<String, Object> envelope(String id, String source, Object embedding) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", "membrane.inject");
        e.put("id", id);
        e.put("scope", "personal");
        e.put("source", source);
        e.put("channel", "bench");
        e.put("content", "bench stimulus");
        e.put("embedding", embedding);
        return e;
    }

    static List<Double> list(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add((double) x);
        }
        return out;
    }
}
