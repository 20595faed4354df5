package dev.membrane.bridge.demo;

import dev.membrane.bridge.embedding.HashingEmbedder;
import dev.membrane.bridge.embedding.TextEmbedder;

import dev.membrane.bridge.embedded.EmbeddedNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, minus the JVM launch: embedded Neo4j, setup, demo world, scenario. */
class DemoIT {

    @Test
    void theDemoLoadsItsWorldAndTheScenarioFlipsNodes(@TempDir Path dir) {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir, 0)) {
            try (Transaction tx = neo4j.db().beginTx()) {
                tx.execute("CALL membrane.setup()").close();
                tx.commit();
            }
            try (Transaction tx = neo4j.db().beginTx()) {
                tx.execute("CALL db.awaitIndexes(300)").close();
                tx.commit();
            }
            DemoWorld.load(neo4j.db());
            DemoWorld.load(neo4j.db()); // idempotent: MERGE everywhere
            TextEmbedder embedder = new HashingEmbedder(384);
            assertTrue(DemoWorld.embed(neo4j.db(), embedder) > 60);
            assertEquals(0, DemoWorld.embed(neo4j.db(), embedder), "only nodes without an embedding are embedded");
            try (Transaction tx = neo4j.db().beginTx()) {
                Map<String, Object> counts = tx.execute("""
                        MATCH (e:Engine) WITH count(e) AS engines
                        MATCH (n:Node) WITH engines, count(n) AS nodes
                        MATCH ()-[m:MEMBRANE_TO]->() WITH engines, nodes, count(m) AS membranes
                        MATCH ()-[a:LIFTS_TO|CORRESPONDS_TO|SUPPORTS]->() RETURN engines, nodes, membranes, count(a) AS alignments""").next();
                assertEquals(Map.of("engines", 6L, "nodes", 63L, "membranes", 5L, "alignments", 17L), counts);
            }

            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            new DemoScenario(neo4j.db(), embedder, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
            String printed = buffer.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("⚡ ada:architecture"), printed);
            assertTrue(printed.contains("⚡ atlas:backup"), printed);
            java.util.regex.Matcher missions = java.util.regex.Pattern.compile("its mission flipped (\\d+) node").matcher(printed);
            long missionFlips = 0;
            while (missions.find()) {
                missionFlips += Long.parseLong(missions.group(1));
            }
            long printedFlips = printed.lines().filter(l -> l.contains("⚡") && !l.contains("⚡ woke")).count() + missionFlips;
            try (Transaction tx = neo4j.db().beginTx(); Result r = tx.execute(
                    "MATCH (e:Engine) RETURN sum(e.activeCount) AS active")) {
                assertEquals(printedFlips, r.next().get("active"), "every printed flip is counted active:\n" + printed);
            }
            // "Resurrect all citizens": missions alone must wake aligned nodes in at least two citizens
            java.util.regex.Matcher woke = java.util.regex.Pattern.compile("⚡ woke ([a-z]+:[a-z]+)").matcher(printed);
            java.util.Set<String> citizens = new java.util.TreeSet<>();
            try (Transaction tx = neo4j.db().beginTx()) {
                while (woke.find()) {
                    String node = woke.group(1);
                    Map<String, Object> n = tx.execute("""
                            MATCH (n:Node {id: $id})-[:LIFTS_TO|CORRESPONDS_TO|SUPPORTS]-(:Node {id: 'acme:reanimation'})
                            MATCH (t:Transfer {status: 'delivered'})-[:CARRIED]->(:Stimulus)-[:INJECTED]->(n)
                            RETURN n.engine AS engine, n.energy >= n.threshold AS active, count(t) AS transfers""",
                            Map.of("id", node)).next();
                    assertEquals(true, n.get("active"), node + " is awake");
                    citizens.add((String) n.get("engine"));
                }
            }
            assertTrue(citizens.size() >= 2, "missions woke aligned nodes in " + citizens + ":\n" + printed);
        }
    }
}
