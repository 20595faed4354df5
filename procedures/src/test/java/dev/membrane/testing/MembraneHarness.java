package dev.membrane.testing;

import dev.membrane.config.PluginSettings;
import dev.membrane.procedures.MembraneProcedures;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real in-process Neo4j with the plugin's procedures and extension, reached over Bolt. One per test class
 * (start ~6 s); Bolt's shutdown quiet period is cut so closing takes about a second (see shared/STACK.md).
 */
public final class MembraneHarness implements AutoCloseable {
    private final Neo4j neo4j;
    private final Driver driver;

    private MembraneHarness(Neo4j neo4j) {
        this.neo4j = neo4j;
        this.driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
    }

    /**
     * @param membraneConf content of the plugin's {@code membrane.conf} (empty for defaults); it is written to a
     *                     temporary file and named through {@code -Dmembrane.conf} while the DBMS starts
     */
    public static MembraneHarness start(String membraneConf) {
        Neo4jBuilder b = dev.membrane.testing.QuietHarness.builder();
        for (Class<?> p : MembraneProcedures.CLASSES) {
            b = b.withProcedure(p);
        }
        if (membraneConf.isEmpty()) {
            return new MembraneHarness(b.build());
        }
        try {
            Path file = Files.createTempFile("membrane", ".conf");
            Files.writeString(file, membraneConf);
            System.setProperty(PluginSettings.FILE_PROPERTY, file.toString());
            try {
                return new MembraneHarness(b.build());
            } finally {
                System.clearProperty(PluginSettings.FILE_PROPERTY);
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A harness on which {@code membrane.setup()} ran and whose indexes are online. */
    public static MembraneHarness startWithSchema(String membraneConf) {
        MembraneHarness h = start(membraneConf);
        h.run("CALL membrane.setup()");
        h.run("CALL db.awaitIndexes(300)");
        return h;
    }

    public Neo4j neo4j() {
        return neo4j;
    }

    public Driver driver() {
        return driver;
    }

    /** Runs one auto-commit query over Bolt and returns all its records. */
    public List<Record> run(String cypher, Map<String, Object> params) {
        try (Session s = driver.session()) {
            return s.run(cypher, params).list();
        }
    }

    public List<Record> run(String cypher) {
        return run(cypher, Map.of());
    }

    @Override
    public void close() {
        driver.close();
        neo4j.close();
    }
}
