package dev.membrane.bridge.bench;

import dev.membrane.bridge.testing.TestBus;
import dev.membrane.bridge.testing.TestNeo4j;
import dev.membrane.sdk.MembraneEmitter;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.harness.Neo4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SPEC §14 / issue 7: the cost of {@code emit} to the host thread, with the flusher running, side by side against a
 * live local bridge (Harness Neo4j with the plugin + the Jetty bus) and a dead bus (nothing listens: every batch is
 * spooled to disk). Sample mode gives p50/p99/p99.9 per call; {@code -prof gc} gives bytes allocated per call.
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bus-bridge test-compile exec:exec@emit-bench}.
 * The bus integrates a few hundred envelopes per second and emit runs millions per second, so in both cases the queue
 * is full almost all the time and emit mostly takes the drop-oldest path — the steady state of a host that emits
 * faster than its bus: the point is that the host never feels it.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class EmitBench {
    @Param({"bridge", "dead"})
    public String bus;

    private Neo4j neo4j;
    private Driver driver;
    private TestBus live;
    private MembraneEmitter emitter;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String uri;
        if (bus.equals("bridge")) {
            neo4j = TestNeo4j.start("""
                    CREATE (:Engine {id: 'ada', scope: 'personal'})
                    CREATE (:Node {id: 'ada-backup', engine: 'ada', text: 'nightly database backup failed'})""");
            driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none(), Config.builder().withLogging(Logging.none()).build());
            live = new TestBus(driver, 0);
            uri = live.uri();
        } else {
            try (ServerSocket s = new ServerSocket(0)) {
                uri = "ws://127.0.0.1:" + s.getLocalPort() + "/api/ws";
            }
        }
        emitter = MembraneEmitter.builder("script:bench").busUri(uri).spoolDir(Files.createTempDirectory("emit-bench"))
                .maxSpoolBytes(8L * 1024 * 1024).closeOnShutdown(false).build();
    }

    @Benchmark
    public String emit() {
        return emitter.emit("personal", "bench", "the nightly database backup failed on host db-" + (n++ & 1023),
                null, "self_observation", null);
    }

    @Benchmark
    public String emitScriptError() {
        return emitter.emitScriptError("script:bench", "backup failed on host db-" + (n++ & 1023), "personal", FAILURE, Map.of("host", "db-1"));
    }

    private static final IllegalStateException FAILURE = new IllegalStateException("disk full");

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("\nemitter metrics (" + bus + "): " + emitter.metrics());
        emitter.close(Duration.ofSeconds(2));
        if (live != null) {
            live.close();
            driver.close();
            neo4j.close();
        }
    }
}
