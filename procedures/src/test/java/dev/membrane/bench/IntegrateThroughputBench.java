package dev.membrane.bench;

import dev.membrane.procedures.MembraneProcedures;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Throughput of {@code membrane.integrate} over Bolt (SPEC §14), side by side for batch sizes 1, 50 and 500 in one
 * run: envelopes per second and the latency of one call (p50, p99). The graph: {@code ENGINES} personal engines ×
 * {@code NODES_PER_ENGINE} nodes with clustered 384-d embeddings; every envelope's retrieval covers the whole
 * personal scope (all engines), as SPEC §4 prescribes. Run (args: total nodes, default 10000):
 * {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl procedures test-compile exec:java@throughput-bench}
 */
public final class IntegrateThroughputBench {
    static final int DIMS = 384;
    static final int NODES_PER_ENGINE = 500;
    static final int TOPICS_PER_ENGINE = 10;
    /** Envelopes per batch size unless the second argument says otherwise. */
    static final int DEFAULT_ENVELOPES_PER_SIZE = 3_000;

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int engines = Math.max(1, nodes / NODES_PER_ENGINE);
        int envelopesPerSize = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ENVELOPES_PER_SIZE;
        Neo4jBuilder b = dev.membrane.testing.QuietHarness.builder();
        for (Class<?> p : MembraneProcedures.CLASSES) {
            b = b.withProcedure(p);
        }
        try (Neo4j neo4j = b.build(); Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            GraphDatabaseService db = neo4j.defaultDatabaseService();
            db.executeTransactionally("CALL membrane.setup()");
            Random r = new Random(7);
            float[][] topics = new float[engines * TOPICS_PER_ENGINE][];
            for (int t = 0; t < topics.length; t++) {
                topics[t] = InjectionQualityBench.unit(InjectionQualityBench.gaussian(r, DIMS, 1));
            }
            long t0 = System.nanoTime();
            load(db, engines, topics, r);
            System.out.printf(Locale.ROOT, "graph: %d personal engines × %d nodes = %d nodes, %d dims, loaded in %.1f s%n",
                    engines, NODES_PER_ENGINE, engines * NODES_PER_ENGINE, DIMS, (System.nanoTime() - t0) / 1e9);
            System.out.printf("%d envelopes per batch size, each retrieved over the whole personal scope; over Bolt%n%n", envelopesPerSize);
            System.out.println("| batch | envelopes/s | call p50 (ms) | call p99 (ms) | per envelope p50 (ms) |");
            System.out.println("|---:|---:|---:|---:|---:|");
            warmUp(driver, topics, r);
            for (int batch : new int[]{1, 50, 500}) {
                int calls = envelopesPerSize / batch;
                double[] ms = new double[calls];
                long start = System.nanoTime();
                try (Session s = driver.session()) {
                    for (int c = 0; c < calls; c++) {
                        List<Map<String, Object>> envelopes = envelopes(topics, r, "b" + batch + "-" + c, batch);
                        long c0 = System.nanoTime();
                        s.executeWrite(tx -> tx.run("CALL membrane.integrate($b) YIELD status RETURN count(*) AS n",
                                Map.of("b", envelopes)).consume());
                        ms[c] = (System.nanoTime() - c0) / 1e6;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.2f |%n", batch, envelopesPerSize / seconds,
                        ms[calls / 2], ms[Math.min(calls - 1, (int) (calls * 0.99))], ms[calls / 2] / batch);
            }
        }
    }

    private static void warmUp(Driver driver, float[][] topics, Random r) {
        try (Session s = driver.session()) {
            for (int i = 0; i < 20; i++) {
                List<Map<String, Object>> e = envelopes(topics, r, "warm-" + i, 50);
                s.executeWrite(tx -> tx.run("CALL membrane.integrate($b)", Map.of("b", e)).consume());
            }
        }
    }

    private static List<Map<String, Object>> envelopes(float[][] topics, Random r, String prefix, int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = BenchGraph.stimulus(topics, r);
            out.add(BenchGraph.envelope(prefix + "-" + i, "tool:bench-" + r.nextInt(5), v));
        }
        return out;
    }

    private static void load(GraphDatabaseService db, int engines, float[][] topics, Random r) {
        BenchGraph.load(db, engines, NODES_PER_ENGINE, topics, (e, i) -> e * TOPICS_PER_ENGINE + i % TOPICS_PER_ENGINE, r);
        db.executeTransactionally("CALL db.awaitIndexes(1200)");
    }
}
