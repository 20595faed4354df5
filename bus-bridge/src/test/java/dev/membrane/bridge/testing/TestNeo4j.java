package dev.membrane.bridge.testing;

import dev.membrane.procedures.MembraneProcedures;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

import java.time.Duration;

/**
 * A real in-process Neo4j with the plugin for the bridge's tests and benchmarks: procedures registered as the jar
 * exposes them, {@code membrane.setup()} run, then the given Cypher fixtures; Bolt's shutdown quiet period cut
 * (shared/STACK.md).
 */
public final class TestNeo4j {
    private TestNeo4j() {
    }

    public static Neo4j start(String... fixtures) {
        return start(0, fixtures);
    }

    /** @param boltPort a fixed loopback Bolt port, or 0 for a free one */
    public static Neo4j start(int boltPort, String... fixtures) {
        @SuppressWarnings("unchecked") // 5.26: quiet period in seconds (int); 2025+: a Duration
        org.neo4j.graphdb.config.Setting<Object> quiet = (org.neo4j.graphdb.config.Setting<Object>)
                (org.neo4j.graphdb.config.Setting<?>) GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period;
        Neo4jBuilder b = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(quiet, quiet.defaultValue() instanceof Duration ? Duration.ZERO : (Object) 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
                .withFixture("CALL membrane.setup() YIELD name RETURN count(*)");
        if (boltPort > 0) {
            b = b.withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort));
        }
        for (String f : fixtures) {
            b = b.withFixture(f);
        }
        for (Class<?> p : MembraneProcedures.CLASSES) {
            b = b.withProcedure(p);
        }
        return b.build();
    }

    /** A Bolt driver to {@code neo4j} (no auth), returned once the schema's indexes are online. */
    public static Driver connect(Neo4j neo4j) {
        Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        try (var s = driver.session()) {
            s.run("CALL db.awaitIndexes(300)").consume();
        }
        return driver;
    }
}
