package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.BridgeProcess;
import dev.membrane.bridge.testing.StandaloneNeo4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §11 "A real Neo4j": a standalone Neo4j 5.26 server with auth on (as it ships), started the way its launcher
 * starts it, with the Membrane plugin jar and APOC 5.26.19 side by side in {@code plugins/}; the packaged bridge runs
 * as its own process and authenticates the way a user configures it (environment variables, a password file).
 */
class RealNeo4jIT {
    private static Path home;
    private static StandaloneNeo4j neo4j;
    private static Driver driver;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("membrane-real-neo4j");
        neo4j = StandaloneNeo4j.start(home.resolve("neo4j"), StandaloneNeo4j.pluginAndApoc(), List.of());
        driver = neo4j.driver();
        try (Session s = driver.session()) {
            s.run("CALL membrane.setup()").consume();
            s.run("CREATE (:Engine {id: 'ada', level: 1, scope: 'personal'}) "
                    + "CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'nightly backup failed'})").consume();
            s.run("CALL db.awaitIndexes(120)").consume();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    private static Map<String, String> credentials(String password) {
        return Map.of("NEO4J_URI", neo4j.boltUri(), "NEO4J_USERNAME", StandaloneNeo4j.USER, "NEO4J_PASSWORD", password);
    }

    private static long count(String idPrefix) {
        try (Session s = driver.session()) {
            return s.run("MATCH (x:Stimulus) WHERE x.id STARTS WITH $p RETURN count(x) AS c", Map.of("p", idPrefix)).single().get("c").asLong();
        }
    }

    @Test
    void apocAndMembraneLoadTogetherAndApocSchedulesTheTick() throws Exception {
        try (Session s = driver.session()) {
            assertTrue(s.run("RETURN apoc.version() AS v").single().get("v").asString().startsWith("5.26"));
            assertEquals(11, s.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'membrane.' RETURN count(*) AS c")
                    .single().get("c").asLong(), "every membrane.* procedure");
            String version = s.run("CALL membrane.version() YIELD version RETURN version").single().get("version").asString();
            assertEquals(dev.membrane.protocol.Version.current(), version);
            s.run("CALL apoc.periodic.repeat('membrane-tick', 'CALL membrane.tick()', 1)").consume();
            Thread.sleep(2_500);
            List<String> jobs = s.run("CALL apoc.periodic.list() YIELD name RETURN collect(name) AS n").single().get("n")
                    .asList(org.neo4j.driver.Value::asString);
            assertTrue(jobs.contains("membrane-tick"), jobs.toString());
            s.run("CALL apoc.periodic.cancel('membrane-tick')").consume();
        }
        String log = neo4j.log();
        assertTrue(log.contains("Membrane " + dev.membrane.protocol.Version.current() + " started: settings from defaults only; "
                + "scan kernel scalar"), "the plugin's start line in neo4j.log:\n" + log);
        assertFalse(log.contains("NoClassDefFoundError") || log.contains("Exception"), "a default start logs no stack trace:\n" + log);
        List<String> ours = neo4j.debugLog().lines().filter(l -> l.contains("WARN") && l.contains("membrane-procedures-")).toList();
        assertEquals(List.of(), ours, "Neo4j loaded every class of the plugin jar without a warning");
    }

    @Test
    void theBridgeRelaysIntoAnAuthEnabledServerWithCredentialsFromTheEnvironment() throws Exception {
        int port = freePort();
        Path log = home.resolve("bridge-env.log");
        try (BridgeProcess bridge = BridgeProcess.serve(List.of("--spool", home.resolve("spool-env").toString()),
                credentials(StandaloneNeo4j.PASSWORD), log, port)) {
            BusIT.Client c = BusIT.Client.connect(port);
            c.send(BusIT.envelope("auth-env-1", "nightly backup failed"));
            JsonNode ack = c.next("ack", 30);
            assertEquals("accepted", ack.path("status").asText(), ack.toString());
            assertEquals(List.of("ada"), List.of(ack.path("engines").get(0).asText()));
        }
        assertEquals(1, count("auth-env-"));
        String printed = Files.readString(log);
        assertTrue(printed.contains("connected: " + neo4j.boltUri() + " as neo4j (secret from NEO4J_PASSWORD)"), printed);
        assertFalse(printed.contains(StandaloneNeo4j.PASSWORD), "the password is never printed");
    }

    @Test
    void aPasswordFileAndADatabaseOptionWork() throws Exception {
        Path secret = home.resolve("password.txt");
        Files.writeString(secret, StandaloneNeo4j.PASSWORD + "\n");
        int port = freePort();
        try (BridgeProcess bridge = BridgeProcess.serve(List.of("--bolt", neo4j.boltUri(), "--password-file", secret.toString(),
                "--database", "neo4j", "--spool", home.resolve("spool-file").toString()), Map.of(), home.resolve("bridge-file.log"), port)) {
            BusIT.Client c = BusIT.Client.connect(port);
            c.send(BusIT.envelope("auth-file-1", "nightly backup failed"));
            assertEquals("accepted", c.next("ack", 30).path("status").asText());
        }
        assertEquals(1, count("auth-file-"));
    }

    @Test
    void wrongCredentialsOrAMissingDatabaseStopTheBridgeAtStartWithTheCause() throws Exception {
        Path log = home.resolve("bridge-wrong.log");
        BridgeProcess wrong = BridgeProcess.launch(List.of("--serve", "--port", String.valueOf(freePort()), "--no-model",
                "--spool", home.resolve("spool-wrong").toString()), credentials("not-the-password-42"), log, 0);
        assertEquals(1, wrong.awaitExit(60), "exit status 1: cannot start");
        String printed = Files.readString(log);
        assertTrue(printed.contains("refused the credentials of neo4j from NEO4J_PASSWORD"), printed);
        assertFalse(printed.contains("not-the-password-42"), "the password is never printed");

        Path log2 = home.resolve("bridge-nodb.log");
        BridgeProcess nodb = BridgeProcess.launch(List.of("--serve", "--port", String.valueOf(freePort()), "--no-model",
                "--database", "nosuchdb", "--spool", home.resolve("spool-nodb").toString()), credentials(StandaloneNeo4j.PASSWORD), log2, 0);
        assertEquals(1, nodb.awaitExit(60));
        assertTrue(Files.readString(log2).contains("nosuchdb"), Files.readString(log2));
    }

    /**
     * docs/scaling.md: several bridges against one Neo4j. Two bridge processes relay the same 300 ids at the same
     * time; the uniqueness of {@code Stimulus.id} makes each envelope integrate exactly once, and every ack is final.
     */
    @Test
    void twoBridgesRelayingTheSameIdsConcurrentlyIntegrateEachEnvelopeExactlyOnce() throws Exception {
        int n = 300;
        int portA = freePort();
        int portB = freePort();
        try (BridgeProcess a = BridgeProcess.serve(List.of("--spool", home.resolve("spool-a").toString()),
                credentials(StandaloneNeo4j.PASSWORD), home.resolve("bridge-a.log"), portA);
             BridgeProcess b = BridgeProcess.serve(List.of("--spool", home.resolve("spool-b").toString()),
                     credentials(StandaloneNeo4j.PASSWORD), home.resolve("bridge-b.log"), portB)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Map<String, Integer>>> results = new ArrayList<>();
            for (int port : new int[]{portA, portB}) {
                results.add(pool.submit(() -> {
                    BusIT.Client c = BusIT.Client.connect(port);
                    for (int i = 0; i < n; i += 50) {
                        StringBuilder frame = new StringBuilder("[");
                        for (int k = i; k < i + 50; k++) {
                            frame.append(k == i ? "" : ",").append(BusIT.envelope("twice-" + k, "nightly backup failed " + k));
                        }
                        c.send(frame.append(']').toString());
                    }
                    Map<String, Integer> statuses = new java.util.TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        statuses.merge(c.next("ack", 60).path("status").asText(), 1, Integer::sum);
                    }
                    return statuses;
                }));
            }
            Map<String, Integer> total = new java.util.TreeMap<>();
            for (Future<Map<String, Integer>> f : results) {
                f.get().forEach((k, v) -> total.merge(k, v, Integer::sum));
            }
            pool.shutdown();
            System.out.println("two bridges, same 300 ids: acks " + total + " (informational)");
            assertEquals(n, total.getOrDefault("accepted", 0), "each envelope accepted exactly once: " + total);
            assertEquals(n, total.getOrDefault("duplicate", 0), "and answered duplicate on the other bridge: " + total);
        }
        assertEquals(n, count("twice-"), "each envelope integrated exactly once");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
