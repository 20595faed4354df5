package dev.membrane.bridge.cli;

import dev.membrane.bridge.demo.DemoScenario;
import dev.membrane.bridge.demo.DemoWorld;
import dev.membrane.bridge.demo.HashingEmbedder;
import dev.membrane.bridge.embedded.EmbeddedNeo4j;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Command line of the bus process. Today: the embedded mode with the demo world and scenario; the WebSocket bus
 * joins it in the bridge issue.
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar bus-bridge.jar --embedded DIR [--demo] [--keep-running] [--bolt-port PORT]

              --embedded DIR    run Neo4j 5.26 in this process with the Membrane plugin; DIR holds its data
              --demo            load cypher/demo.cypher (first start), embed its texts, run the demo scenario
              --keep-running    stay up after the scenario, serving Bolt on 127.0.0.1:PORT (Ctrl-C to stop)
              --bolt-port PORT  Bolt port for --keep-running (default 7687)
              --help            this text
            """;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = null;
        boolean demo = false;
        boolean keepRunning = false;
        int boltPort = 7687;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--embedded" -> dir = Path.of(value(args, ++i, "--embedded"));
                case "--demo" -> demo = true;
                case "--keep-running" -> keepRunning = true;
                case "--bolt-port" -> boltPort = Integer.parseInt(value(args, ++i, "--bolt-port"));
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            fail("--embedded DIR is required for now");
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir, keepRunning ? boltPort : 0)) {
            out.printf("Neo4j started in-process with the Membrane plugin (%d ms), data in %s%n",
                    (System.nanoTime() - t0) / 1_000_000, dir.toAbsolutePath());
            setup(neo4j, out);
            if (demo) {
                DemoWorld.load(neo4j.db());
                int dims = embeddingDimensions(neo4j);
                int embedded = DemoWorld.embed(neo4j.db(), new HashingEmbedder(dims));
                out.printf("Demo world loaded (%d texts embedded, %d dimensions)%n", embedded, dims);
                new DemoScenario(neo4j.db(), new HashingEmbedder(dims), out).run();
            }
            if (keepRunning) {
                out.printf("%nBolt: bolt://127.0.0.1:%d (no auth, loopback only). Ctrl-C to stop.%n", boltPort);
                Thread.currentThread().join();
            }
        }
    }

    private static void setup(EmbeddedNeo4j neo4j, PrintStream out) {
        try (Transaction tx = neo4j.db().beginTx(); Result r = tx.execute("CALL membrane.setup()")) {
            long created = r.stream().filter(row -> "created".equals(row.get("status"))).count();
            out.printf("membrane.setup(): %d constraints and indexes created%n", created);
            tx.commit();
        }
        try (Transaction tx = neo4j.db().beginTx()) {
            tx.execute("CALL db.awaitIndexes(300)").close();
            tx.commit();
        }
    }

    private static int embeddingDimensions(EmbeddedNeo4j neo4j) {
        try (Transaction tx = neo4j.db().beginTx();
             Result r = tx.execute("CALL membrane.config() YIELD key, value WHERE key = $k RETURN value",
                     Map.of("k", "embeddingDimensions"))) {
            return ((Number) r.next().get("value")).intValue();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
