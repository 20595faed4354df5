package dev.membrane.bridge.demo;

import dev.membrane.bridge.embedded.EmbeddedNeo4j;
import dev.membrane.bridge.embedding.HashingEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Cypher block and the cookbooks in cypher/ run as written on a fresh database with the demo world loaded
 * (what the README says to load first), each statement in its own transaction, and leave nothing pinned in the future.
 */
class ReadmeCypherIT {
    private static final Pattern BLOCK = Pattern.compile("```cypher\\n(.*?)```", Pattern.DOTALL);
    /** A statement ends at a semicolon closing its line (optionally followed by a line comment). */
    private static final Pattern END = Pattern.compile(";[ \\t]*(//[^\\n]*)?(\\n|$)");

    static List<String> statements(String cypher) {
        List<String> out = new ArrayList<>();
        Matcher m = END.matcher(cypher);
        int start = 0;
        while (m.find()) {
            String s = cypher.substring(start, m.start()).strip();
            if (!s.replaceAll("(?m)^\\s*//.*$", "").isBlank()) {
                out.add(s);
            }
            start = m.end();
        }
        return out;
    }

    @Test
    void theReadmeAndTheCookbooksRunAsWrittenOnAFreshDatabase(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = BLOCK.matcher(readme);
        assertTrue(block.find(), "README has a cypher block");
        List<String> fromReadme = statements(block.group(1));
        assertTrue(fromReadme.size() >= 12, fromReadme.toString());
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir, 0)) {
            run(neo4j, List.of("CALL membrane.setup()", "CALL db.awaitIndexes(300)"), Map.of());
            DemoWorld.load(neo4j.db());
            DemoWorld.embed(neo4j.db(), new HashingEmbedder(384));
            int rows = run(neo4j, fromReadme, Map.of());
            assertTrue(rows > 0);
            try (Transaction tx = neo4j.db().beginTx()) {
                Map<String, Object> org = tx.execute("MATCH (s:Stimulus {id: 'e-2'}) RETURN s.flips AS flips").next();
                assertEquals(1L, ((Number) org.get("flips")).longValue(), "the README's org envelope flips the reanimation pattern");
                long kappaMoved = (long) tx.execute("MATCH (t:Transfer) WHERE t.outcomes > 0 RETURN count(t) AS c").next().get("c");
                assertEquals(1L, kappaMoved, "and the README's outcome reached one delivered transfer");
            }
            run(neo4j, statements(Files.readString(Path.of("..", "cypher", "examples.cypher"))), Map.of());
            String stimulus;
            try (Transaction tx = neo4j.db().beginTx()) {
                stimulus = (String) tx.execute("MATCH (s:Stimulus {id: 'e-2'}) RETURN s.id AS id").next().get("id");
            }
            run(neo4j, statements(Files.readString(Path.of("..", "cypher", "membranes.cypher"))), Map.of(
                    "stimulusId", stimulus, "orgNodeId", "acme:reanimation", "transferId", "no-such-transfer", "reportId", "r-1"));
            try (Transaction tx = neo4j.db().beginTx()) {
                long future = (long) tx.execute("MATCH (n:Node) WHERE n.energy_at > timestamp() + 60000 RETURN count(n) AS c")
                        .next().get("c");
                assertEquals(0L, future, "no example pins an energy in the future");
            }
        }
    }

    private static int run(EmbeddedNeo4j neo4j, List<String> statements, Map<String, Object> params) {
        int rows = 0;
        for (String s : statements) {
            try (Transaction tx = neo4j.db().beginTx(); Result r = tx.execute(s, params)) {
                while (r.hasNext()) {
                    r.next();
                    rows++;
                }
                r.close();
                tx.commit();
            } catch (RuntimeException e) {
                throw new AssertionError("statement failed: " + s + "\n" + e.getMessage(), e);
            }
        }
        return rows;
    }
}
