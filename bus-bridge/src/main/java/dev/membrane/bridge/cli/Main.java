package dev.membrane.bridge.cli;

import dev.membrane.bridge.demo.DemoScenario;
import dev.membrane.bridge.demo.DemoWorld;
import dev.membrane.bridge.embedding.HashingEmbedder;
import dev.membrane.bridge.embedding.SentenceEmbedder;
import dev.membrane.bridge.embedding.TextEmbedder;
import dev.membrane.bridge.embedded.EmbeddedNeo4j;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.security.Access;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.Spool;
import dev.membrane.bridge.ws.BusServer;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Command line of the bus process: the embedded mode (Neo4j in-process with the plugin, optional demo) and the bus
 * itself ({@code --serve}) over the embedded Neo4j or an existing one ({@code --bolt}).
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar bus-bridge.jar (--embedded DIR | --bolt URI) [--demo] [--serve] [--keep-running] [options]
                   java -jar bus-bridge.jar emit --help      (send one envelope from the shell)

              --embedded DIR    run Neo4j 5.26 in this process with the Membrane plugin; DIR holds its data
              --bolt URI        relay to an existing Neo4j with the plugin instead (no auth; e.g. bolt://127.0.0.1:7687)
              --demo            (embedded) load cypher/demo.cypher, embed its texts, run the demo scenario
              --no-model        no sentence model: word-hash embeddings for the demo, full-text retrieval for text-only envelopes
              --serve           run the bus: ws://HOST:PORT/api/ws (membrane.inject, subscribe, ping), GET /health
              --keep-running    (embedded) stay up serving Bolt on 127.0.0.1:BOLT_PORT; implied by --serve
              --host HOST       bus bind address (default 127.0.0.1)
              --port PORT       bus port (default 8000)
              --batch N         envelopes per membrane.integrate call (default 500)
              --linger MS       wait to fill a batch (default 10)
              --spool DIR       spool and dead-letter directory (default ./membrane-spool)
              --token T=P1,P2   require bearer tokens; token T may inject sources starting with P1 or P2 (repeatable)
              --allow-origin O  accept browser connections only from Origin O (repeatable)
              --rate N          frames per second per connection before it is closed (default 1000)
              --bolt-port PORT  embedded Bolt port (default 7687)
              --help            this text
            """;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("emit")) {
            System.exit(EmitCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
        }
        Path dir = null;
        String boltUri = null;
        boolean demo = false;
        boolean keepRunning = false;
        boolean serve = false;
        boolean noModel = false;
        int boltPort = 7687;
        BridgeOptions options = BridgeOptions.DEFAULTS;
        Map<String, List<String>> tokens = new HashMap<>();
        Set<String> origins = new HashSet<>();
        double rate = BusServer.DEFAULT_RATE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--embedded" -> dir = Path.of(value(args, ++i, "--embedded"));
                case "--bolt" -> boltUri = value(args, ++i, "--bolt");
                case "--demo" -> demo = true;
                case "--serve" -> serve = true;
                case "--no-model" -> noModel = true;
                case "--keep-running" -> keepRunning = true;
                case "--host" -> options = options.withHost(value(args, ++i, "--host"));
                case "--port" -> options = options.withPort(Integer.parseInt(value(args, ++i, "--port")));
                case "--batch" -> options = options.withBatch(Integer.parseInt(value(args, ++i, "--batch")), options.lingerMs());
                case "--linger" -> options = options.withBatch(options.batchSize(), Long.parseLong(value(args, ++i, "--linger")));
                case "--spool" -> options = options.withSpoolDir(Path.of(value(args, ++i, "--spool")));
                case "--token" -> {
                    String[] kv = value(args, ++i, "--token").split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        fail("--token needs TOKEN=prefix1,prefix2");
                    }
                    tokens.put(kv[0], List.of(kv[1].split(",")));
                }
                case "--allow-origin" -> origins.add(value(args, ++i, "--allow-origin"));
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, "--rate"));
                case "--bolt-port" -> boltPort = Integer.parseInt(value(args, ++i, "--bolt-port"));
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
        }
        if ((dir == null) == (boltUri == null)) {
            fail("give exactly one of --embedded DIR and --bolt URI");
        }
        PrintStream out = System.out;
        if (boltUri != null) {
            if (!serve) {
                fail("--bolt needs --serve");
            }
            serve(boltUri, options, new Access(tokens, origins), rate, noModel ? null : new SentenceEmbedder(), out);
            return;
        }
        keepRunning |= serve;
        long t0 = System.nanoTime();
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir, keepRunning ? boltPort : 0)) {
            out.printf("Neo4j started in-process with the Membrane plugin (%d ms), data in %s%n",
                    (System.nanoTime() - t0) / 1_000_000, dir.toAbsolutePath());
            setup(neo4j, out);
            if (demo) {
                DemoWorld.load(neo4j.db());
                TextEmbedder embedder = embedder(noModel, embeddingDimensions(neo4j), out);
                int embedded = DemoWorld.embed(neo4j.db(), embedder);
                out.printf("Demo world loaded (%d texts embedded with %s)%n", embedded, embedder.name());
                new DemoScenario(neo4j.db(), embedder, out).run();
            }
            if (serve) {
                out.printf("%nBolt: bolt://127.0.0.1:%d (no auth, loopback only).%n", boltPort);
                serve("bolt://127.0.0.1:" + boltPort, options, new Access(tokens, origins), rate,
                        noModel || embeddingDimensions(neo4j) != SentenceEmbedder.DIMENSIONS ? null : new SentenceEmbedder(), out);
            } else if (keepRunning) {
                out.printf("%nBolt: bolt://127.0.0.1:%d (no auth, loopback only). Ctrl-C to stop.%n", boltPort);
                Thread.currentThread().join();
            }
        }
    }

    /** The demo's embedder: the sentence model when the plugin expects its 384 dimensions, else word hashing. */
    private static TextEmbedder embedder(boolean noModel, int dims, PrintStream out) {
        if (!noModel && dims == SentenceEmbedder.DIMENSIONS) {
            return new SentenceEmbedder();
        }
        if (!noModel) {
            out.printf("(embeddingDimensions is %d, the sentence model makes %d: using word hashing)%n", dims, SentenceEmbedder.DIMENSIONS);
        }
        return new HashingEmbedder(dims);
    }

    /**
     * Runs the bus against Neo4j at {@code boltUri} until the process is stopped.
     *
     * @param embedder embeds text-only envelopes before they are relayed, or null (the plugin then retrieves by full text)
     */
    private static void serve(String boltUri, BridgeOptions o, Access access, double rate, TextEmbedder embedder,
                              PrintStream out) throws InterruptedException {
        try (Driver driver = GraphDatabase.driver(boltUri, AuthTokens.none(), Config.builder().withLogging(Logging.none()).build())) {
            Relay relay = new Relay(driver, o.batchSize(), o.lingerMs(), o.queueCapacity(), new Spool(o.spoolDir()),
                    new DeadLetters(o.spoolDir().resolve("dead-letter.jsonl")), embedder);
            EventTail events = new EventTail(driver, o.eventPollMs(), EventTail.PAGE);
            try (BusServer bus = new BusServer(o.host(), o.port(), relay, events, () -> reachable(driver),
                    o.maxMessageBytes(), o.maxPendingSends(), access, rate).start()) {
                out.printf("Bus: ws://%s:%d%s · health: http://%s:%d/health · relaying to %s. Ctrl-C to stop.%n",
                        o.host(), bus.port(), BusServer.WS_PATH, o.host(), bus.port(), boltUri);
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("bus: " + e.getMessage(), e);
            } finally {
                relay.close();
                events.close();
            }
        }
    }

    private static boolean reachable(Driver driver) {
        try {
            driver.verifyConnectivity();
            return true;
        } catch (RuntimeException e) {
            return false;
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
