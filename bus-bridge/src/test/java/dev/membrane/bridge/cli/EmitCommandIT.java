package dev.membrane.bridge.cli;

import dev.membrane.bridge.testing.TestBus;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.harness.Neo4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus-bridge emit} against a real bus and Neo4j: flags, JSON on stdin, and each failure with its exit status. */
class EmitCommandIT {
    private static Neo4j neo4j;
    private static Driver driver;
    private static TestBus bus;

    @BeforeAll
    static void start() throws Exception {
        neo4j = TestNeo4j.start("""
                CREATE (:Engine {id: 'ada', scope: 'personal'})
                CREATE (:Node {id: 'ada-backup', engine: 'ada', text: 'nightly database backup failed'})""");
        driver = TestNeo4j.connect(neo4j);
        bus = new TestBus(driver, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        bus.close();
        driver.close();
        neo4j.close();
    }

    private record Run(int status, String out, String err) {
    }

    private static Run emit(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EmitCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void flagsBecomeAnEnvelopeThatIsIntegrated() {
        Run r = emit("", "--url", bus.uri(), "--source", "script:cron", "--scope", "personal", "--channel", "ops",
                "--content", "the nightly database backup failed", "--feature", "urgency=0.9", "--origin", "external");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"status\":\"accepted\""), r.out());
        String id = r.out().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1").trim();
        try (var s = driver.session()) {
            assertEquals(1, s.run("MATCH (s:Stimulus {id: $id}) RETURN count(s) AS c", Map.of("id", id)).single().get("c").asInt());
        }
    }

    @Test
    void jsonFromStdinKeepsItsIdAndASecondSendIsADuplicate() {
        String json = """
                {"id": "shell-1", "scope": "personal", "source": "script:cron", "channel": "ops", "content": "backup failed"}""";
        Run first = emit(json, "--url", bus.uri(), "--json", "-");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("\"id\":\"shell-1\"") && first.out().contains("accepted"), first.out());
        Run again = emit("", "--url", bus.uri(), "--json", json);
        assertEquals(0, again.status());
        assertTrue(again.out().contains("duplicate"), again.out());
    }

    @Test
    void failuresHaveTheirOwnStatusAndAMessage() throws Exception {
        Run invalid = emit("", "--url", bus.uri(), "--source", "script:cron", "--scope", "galaxy", "--channel", "ops", "--content", "x");
        assertEquals(2, invalid.status());
        assertTrue(invalid.err().contains("invalid_field:scope"), invalid.err());

        Run usage = emit("", "--frobnicate");
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("unknown option --frobnicate") && usage.err().contains("Usage"), usage.err());

        Run badFeature = emit("", "--feature", "urgency=high");
        assertEquals(2, badFeature.status());
        assertTrue(badFeature.err().contains("--feature urgency needs a number"), badFeature.err());

        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Run down = emit("", "--url", "ws://127.0.0.1:" + dead + "/api/ws", "--timeout", "1000", "--source", "script:cron",
                "--scope", "personal", "--channel", "ops", "--content", "x");
        assertEquals(3, down.status());
        assertTrue(down.err().contains("bus unreachable"), down.err());
    }
}
