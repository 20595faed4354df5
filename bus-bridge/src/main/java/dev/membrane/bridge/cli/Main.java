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
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.bridge.ws.BusServer;
import dev.membrane.bridge.neo4j.Database;
import dev.membrane.bridge.neo4j.Neo4jConnection;
import dev.membrane.protocol.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
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
                   java -jar bus-bridge.jar --version

              --embedded DIR    run Neo4j 5.26 in this process with the Membrane plugin; DIR holds its data
              --bolt URI        relay to an existing Neo4j with the plugin instead (implies --serve): bolt://, bolt+s://,
                                neo4j:// (cluster routing), neo4j+s://, … (default: $NEO4J_URI)
              --database NAME   the database to write to (default: $NEO4J_DATABASE, else the server's default)
              --password-file F read the password from F's first line (else $NEO4J_PASSWORD; user: $NEO4J_USERNAME,
                                default neo4j; neither: no auth). Passwords are never taken from the command line.
              --bearer-token-file F  authenticate with the bearer token in F (else $NEO4J_BEARER_TOKEN, if set)
              --wait-for-neo4j S  at start, wait up to S seconds for Neo4j to answer (default 30); a refusal
                                (credentials, missing plugin or database) stops the bridge at once, exit status 1
              --demo            (embedded) load cypher/demo.cypher, embed its texts, run the demo scenario
              --no-model        no sentence model: word-hash embeddings for the demo, full-text retrieval for text-only envelopes
              --serve           run the bus: ws://HOST:PORT/api/ws (membrane.inject, subscribe, ping), GET /health
              --keep-running    (embedded) stay up serving Bolt on 127.0.0.1:BOLT_PORT; implied by --serve
              --host HOST       bus bind address (default 127.0.0.1)
              --port PORT       bus port (default 8000)
              --batch N         envelopes per membrane.integrate call (default 500)
              --linger MS       wait to fill a batch (default 10)
              --connection-share F  the most of one batch a single connection may fill (default 0.5): another
                                client's envelope then waits at most about one full batch time behind a flood
              --spool DIR       spool and dead-letter directory (default ./membrane-spool)
              --max-spool-bytes N  bound of the spool on disk (default 1073741824); past it, envelopes Neo4j cannot
                                take are answered retry (their clients keep them)
              --tx-retry-seconds S  how long a failing transaction is retried (Neo4j restarting) before its batch is
                                spooled (default 5)
              --token T=P1,P2   require bearer tokens; token T may inject sources starting with P1 or P2 (repeatable)
              --allow-origin O  accept browser connections only from Origin O (repeatable)
              --rate N          envelopes per second per connection before it is closed (default 10000; a frame
                                counts its envelopes)
              --dashboard-nodes N  nodes the live page at http://HOST:PORT/ draws at most (default 5000)
              --dashboard-window N  injections per engine its measures (flip yield, coverage entropy, attribution)
                                cover, also on /metrics (default 200)
              --dashboard-recent N  recent events a page starts with and its stimulus inspector looks through
                                (default 2000; at most the plugin's eventsMaxLimit)
              --bolt-port PORT  embedded Bolt port (default 7687)
              --tick-seconds S  run membrane.tick every S seconds (embedded: through APOC's apoc.periodic.repeat, default 5;
                                --bolt: by the bridge itself, default 0 = off, schedule it on the server instead)
              --log-level L     debug | info | warn | error for the bridge's own log lines on stderr (default info)
              --version         print the version and exit
              --help            this text
            """;

    /** How long the bridge waits at start for its Neo4j to answer, unless --wait-for-neo4j says otherwise. */
    static final long DEFAULT_WAIT_SECONDS = 30;
    /** Embedded default: membrane.tick this often (a few seconds keeps activeCount fresh; SPEC §10). */
    static final long DEFAULT_EMBEDDED_TICK_SECONDS = 5;

    private Main() {
    }

    /** Exit status when the bridge cannot start against its Neo4j (credentials, plugin, database, unreachable). */
    static final int START_FAILED = 1;

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("emit")) {
            System.exit(EmitCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
        }
        logLevel(args); // before the first logger exists
        Logger log = LoggerFactory.getLogger(Main.class);
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
        String database = null;
        Path passwordFile = null;
        Path tokenFile = null;
        long waitSeconds = DEFAULT_WAIT_SECONDS;
        Long tickSeconds = null;
        int dashboardNodes = dev.membrane.bridge.dashboard.Dashboard.DEFAULT_MAX_NODES;
        int dashboardWindow = dev.membrane.bridge.dashboard.SubstrateMetrics.DEFAULT_WINDOW;
        int dashboardRecent = dev.membrane.bridge.dashboard.Dashboard.DEFAULT_RECENT_EVENTS;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--embedded" -> dir = Path.of(value(args, ++i, "--embedded"));
                    case "--bolt" -> boltUri = value(args, ++i, "--bolt");
                    case "--database" -> database = value(args, ++i, "--database");
                    case "--password-file" -> passwordFile = Path.of(value(args, ++i, "--password-file"));
                    case "--bearer-token-file" -> tokenFile = Path.of(value(args, ++i, "--bearer-token-file"));
                    case "--wait-for-neo4j" -> waitSeconds = Long.parseLong(value(args, ++i, "--wait-for-neo4j"));
                    case "--log-level" -> i++; // applied before parsing
                    case "--tick-seconds" -> tickSeconds = Long.parseLong(value(args, ++i, "--tick-seconds"));
                    case "--version" -> {
                        System.out.println("membrane-bus-bridge " + Version.current());
                        return;
                    }
                    case "--demo" -> demo = true;
                    case "--serve" -> serve = true;
                    case "--no-model" -> noModel = true;
                    case "--keep-running" -> keepRunning = true;
                    case "--host" -> options = options.withHost(value(args, ++i, "--host"));
                    case "--port" -> options = options.withPort(Integer.parseInt(value(args, ++i, "--port")));
                    case "--batch" -> options = options.withBatching(options.batching().withSize(
                            Integer.parseInt(value(args, ++i, "--batch"))));
                    case "--linger" -> options = options.withBatching(options.batching().withLingerMs(
                            Long.parseLong(value(args, ++i, "--linger"))));
                    case "--connection-share" -> options = options.withBatching(options.batching().withConnectionShare(
                            Double.parseDouble(value(args, ++i, "--connection-share"))));
                    case "--spool" -> options = options.withSpool(Path.of(value(args, ++i, "--spool")), options.maxSpoolBytes());
                    case "--max-spool-bytes" -> options = options.withSpool(options.spoolDir(),
                            positive(Long.parseLong(value(args, ++i, "--max-spool-bytes")), "--max-spool-bytes"));
                    case "--tx-retry-seconds" -> options = options.withTxRetry(Duration.ofSeconds(
                            Long.parseLong(value(args, ++i, "--tx-retry-seconds"))));
                    case "--token" -> {
                        String[] kv = value(args, ++i, "--token").split("=", 2);
                        if (kv.length != 2 || kv[0].isBlank()) {
                            fail("--token needs TOKEN=prefix1,prefix2");
                        }
                        tokens.put(kv[0], List.of(kv[1].split(",")));
                    }
                    case "--allow-origin" -> origins.add(value(args, ++i, "--allow-origin"));
                    case "--rate" -> rate = Double.parseDouble(value(args, ++i, "--rate"));
                    case "--dashboard-nodes" -> dashboardNodes = (int) positive(Integer.parseInt(value(args, ++i, "--dashboard-nodes")),
                            "--dashboard-nodes");
                    case "--dashboard-window" -> dashboardWindow = (int) positive(Integer.parseInt(value(args, ++i, "--dashboard-window")),
                            "--dashboard-window");
                    case "--dashboard-recent" -> dashboardRecent = (int) positive(Integer.parseInt(value(args, ++i, "--dashboard-recent")),
                            "--dashboard-recent");
                    case "--bolt-port" -> boltPort = Integer.parseInt(value(args, ++i, "--bolt-port"));
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> fail("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException badValue) { // a number that does not parse, a setting out of range
            fail(badValue.getMessage());
        }
        Map<String, String> env = System.getenv();
        if (dir == null && boltUri == null && env.get(Neo4jConnection.ENV_URI) != null) {
            serve = true; // NEO4J_URI alone says where to relay
        }
        if (dir != null && boltUri != null) {
            fail("give one of --embedded DIR and --bolt URI (or NEO4J_URI), not both");
        }
        if (dir == null && boltUri == null && !serve) {
            fail("give --embedded DIR, or --bolt URI (or set NEO4J_URI)");
        }
        PrintStream out = System.out;
        if (dir == null) {
            Neo4jConnection connection;
            Database db;
            try {
                connection = Neo4jConnection.resolve(boltUri, database, passwordFile, tokenFile, env);
                log.info("Membrane bus bridge {} connecting to {}", Version.current(), connection.describe());
                db = connection.open(Duration.ofSeconds(waitSeconds), options.txRetry());
            } catch (Neo4jConnection.StartupException e) {
                log.error("cannot start: {}", e.getMessage());
                System.err.println("error: " + e.getMessage());
                System.exit(START_FAILED);
                return;
            }
            log.info("connected: {} serves membrane.integrate", connection.describe());
            if (tickSeconds != null && tickSeconds > 0) {
                Database tickDb = db;
                tickEvery(tickSeconds, () -> {
                    try (org.neo4j.driver.Session s = tickDb.session()) {
                        s.executeWrite(tx -> tx.run("CALL membrane.tick()").consume());
                    }
                });
                log.info("membrane.tick scheduled every {} s by the bridge", tickSeconds);
            }
            try {
                serve(db, connection.describe(), options, new Access(tokens, origins), rate, noModel ? null : new SentenceEmbedder(),
                        new DashboardSettings(dashboardNodes, dashboardRecent, dashboardWindow), out);
            } finally {
                db.driver().close();
            }
            return;
        }
        keepRunning |= serve;
        long t0 = System.nanoTime();
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir, keepRunning ? boltPort : 0)) {
            out.printf("Neo4j started in-process with the Membrane plugin%s (%d ms), data in %s%n", neo4j.hasApoc() ? " and APOC" : "",
                    (System.nanoTime() - t0) / 1_000_000, dir.toAbsolutePath());
            setup(neo4j, out);
            scheduleTick(neo4j, tickSeconds == null ? DEFAULT_EMBEDDED_TICK_SECONDS : tickSeconds, out);
            if (demo) {
                DemoWorld.load(neo4j.db());
                TextEmbedder embedder = embedder(noModel, embeddingDimensions(neo4j), out);
                int embedded = DemoWorld.embed(neo4j.db(), embedder);
                out.printf("Demo world loaded (%d texts embedded with %s)%n", embedded, embedder.name());
                new DemoScenario(neo4j.db(), embedder, out).run();
            }
            if (serve) {
                out.printf("%nBolt: bolt://127.0.0.1:%d (no auth, loopback only).%n", boltPort);
                Neo4jConnection local = Neo4jConnection.resolve("bolt://127.0.0.1:" + boltPort, null, null, null, Map.of());
                Database db = local.open(Duration.ofSeconds(waitSeconds), options.txRetry());
                try {
                    serve(db, local.describe(), options, new Access(tokens, origins), rate,
                            noModel || embeddingDimensions(neo4j) != SentenceEmbedder.DIMENSIONS ? null : new SentenceEmbedder(),
                            new DashboardSettings(dashboardNodes, dashboardRecent, dashboardWindow), out);
                } finally {
                    db.driver().close();
                }
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
     * Runs the bus against a database whose connection was verified, until the process is stopped.
     *
     * @param target   how the database is reached, for the start line (no secret in it)
     * @param embedder embeds text-only envelopes before they are relayed, or null (the plugin then retrieves by full text)
     */
    private static void serve(Database db, String target, BridgeOptions o, Access access, double rate, TextEmbedder embedder,
                              DashboardSettings page, PrintStream out) throws InterruptedException {
        Relay relay = new Relay(db, o.batching(), new EnvelopeSpool(o.spoolDir(), o.maxSpoolBytes()),
                new DeadLetters(o.spoolDir().resolve("dead-letter.jsonl")), embedder);
        EventTail events = new EventTail(db, o.eventPollMs(), EventTail.PAGE);
        dev.membrane.bridge.dashboard.Dashboard dashboard = new dev.membrane.bridge.dashboard.Dashboard(db, events, page.nodes(),
                page.recent(), page.window());
        try (BusServer bus = new BusServer(o.host(), o.port(), relay, events, () -> problem(relay, db),
                o.maxMessageBytes(), o.maxPendingSends(), access, rate, dashboard).start()) {
            LoggerFactory.getLogger(Main.class).info("bus listening on ws://{}:{}{} (health: http://{}:{}/health), relaying to {}",
                    o.host(), bus.port(), BusServer.WS_PATH, o.host(), bus.port(), target);
            out.printf("Bus: ws://%s:%d%s · health: http://%s:%d/health · relaying to %s.%nLive page: http://%s:%d/ · Ctrl-C to stop.%n",
                    o.host(), bus.port(), BusServer.WS_PATH, o.host(), bus.port(), target, o.host(), bus.port());
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

    /** The live page's settings (--dashboard-nodes, --dashboard-recent, --dashboard-window). */
    private record DashboardSettings(int nodes, int recent, int window) {
    }

    /** For /health: why the database cannot be used now (the relay's last failure, or a failed probe), or null. */
    private static String problem(Relay relay, Database db) {
        try {
            db.driver().verifyConnectivity();
        } catch (RuntimeException e) {
            return "unreachable: " + e.getMessage();
        }
        return relay.databaseProblem();
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

    /**
     * SPEC §10 {@code membrane.tick} keeps activeCount exact and prunes the audit: in the embedded default it is
     * scheduled through APOC ({@code apoc.periodic.repeat}, as a server with APOC would), else by the bridge itself.
     */
    private static void scheduleTick(EmbeddedNeo4j neo4j, long seconds, PrintStream out) {
        if (seconds <= 0) {
            return;
        }
        if (neo4j.hasApoc()) {
            try (Transaction tx = neo4j.db().beginTx()) {
                tx.execute("CALL apoc.periodic.repeat('membrane-tick', 'CALL membrane.tick()', $s)", Map.of("s", seconds)).close();
                tx.commit();
            }
            out.printf("membrane.tick every %d s through APOC (apoc.periodic.repeat 'membrane-tick')%n", seconds);
        } else {
            tickEvery(seconds, () -> {
                try (Transaction tx = neo4j.db().beginTx()) {
                    tx.execute("CALL membrane.tick()").close();
                    tx.commit();
                }
            });
            out.printf("membrane.tick every %d s by the bridge (APOC is not on the classpath)%n", seconds);
        }
    }

    /** A daemon thread that runs {@code tick} every {@code seconds}; a failure is logged and the next run still comes. */
    private static void tickEvery(long seconds, Runnable tick) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "membrane-tick");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Main.class).warn("membrane.tick failed: {}", e.getMessage());
            }
        }, seconds, seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** SLF4J simple reads its level once, at the first logger: set it from --log-level before anything logs. */
    private static void logLevel(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--log-level")) {
                String level = args[i + 1].toLowerCase(java.util.Locale.ROOT);
                if (!java.util.List.of("trace", "debug", "info", "warn", "error").contains(level)) {
                    fail("--log-level takes debug, info, warn or error");
                }
                System.setProperty("org.slf4j.simpleLogger.log.dev.membrane", level);
            }
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

    private static long positive(long v, String option) {
        if (v < 1) {
            fail(option + " must be positive, got " + v);
        }
        return v;
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
