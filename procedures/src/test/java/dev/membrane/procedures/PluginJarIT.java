package dev.membrane.procedures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installs the built plugin jar the way a user does, into {@code plugins/} of a standalone Neo4j server process
 * started as its launcher starts it (its own JVM, {@code -cp "lib/*:plugins/*"}, our classes only from the jar), with a
 * {@code conf/membrane.conf}, and calls the procedures over Bolt. Runs after {@code package}, so it tests the shaded
 * artifact itself. (bus-bridge's RealNeo4jIT does the same with auth on and APOC beside the plugin.)
 */
class PluginJarIT {

    @Test
    void theJarDroppedIntoPluginsServesTheProceduresAndReadsMembraneConf(@TempDir Path home) throws Exception {
        Path jar = pluginJar();
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("conf"));
        Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
        int port = freePort();
        Files.writeString(home.resolve("conf/neo4j.conf"), String.join("\n",
                "server.bolt.listen_address=127.0.0.1:" + port,
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=false",
                "server.memory.pagecache.size=16m",
                "server.jvm.additional=-XX:+UseG1GC", ""));
        Files.writeString(home.resolve("conf/membrane.conf"), "membrane.kMax=32\n");

        Process server = new ProcessBuilder(javaBin(), "-Xmx512m", "-cp",
                serverClasspath() + File.pathSeparator + home.resolve("plugins") + File.separator + "*",
                entryPoint(), "--home-dir=" + home, "--config-dir=" + home.resolve("conf"))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("server.out").toFile())
                .start();
        try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + port, AuthTokens.none())) {
            awaitBolt(driver, server, home);
            try (Session s = driver.session()) {
                List<Record> setup = s.run("CALL membrane.setup()").list();
                assertTrue(setup.stream().allMatch(r -> r.get("status").asString().equals("created")), setup.toString());
                Map<String, Object> kMax = s.run("CALL membrane.config() YIELD key, value, origin WHERE key = 'kMax' RETURN value, origin")
                        .single().asMap();
                assertEquals(Map.of("value", 32L, "origin", "membrane.conf"), kMax);
                long procedures = s.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'membrane.' RETURN count(*) AS c")
                        .single().get("c").asLong();
                assertEquals(MembraneProcedures.CLASSES.size(), procedures);
                s.run("CREATE (:Engine {id: 'e'}) CREATE (:Node {id: 'n', engine: 'e', text: 'plugin jar smoke test'})").consume();
                s.run("CALL db.awaitIndexes(60)").consume();
                Record row = s.run("CALL membrane.inject('e', {content: 'smoke test'})").single();
                assertEquals(1, row.get("flips").asInt());
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static Path pluginJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("membrane-procedures-.*-plugin\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run after package: no plugin jar in target/"));
        }
    }

    /** The test classpath (which holds the Neo4j server) without this project's own classes. */
    private static String serverClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("target" + File.separator + "classes")
                        && !e.endsWith("target" + File.separator + "test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The community server's main class: CommunityEntryPoint on 5.26, Neo4jCommunity from 2025 on. */
    private static String entryPoint() {
        for (String c : List.of("org.neo4j.server.CommunityEntryPoint", "org.neo4j.server.Neo4jCommunity")) {
            try {
                Class.forName(c, false, PluginJarIT.class.getClassLoader());
                return c;
            } catch (ClassNotFoundException next) {
                // try the next release's name
            }
        }
        throw new IllegalStateException("no Neo4j community entry point on the classpath");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitBolt(Driver driver, Process server, Path home) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("Neo4j exited: " + Files.readString(home.resolve("server.out")));
            }
            try {
                driver.verifyConnectivity();
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("Neo4j did not open Bolt within 120 s: " + Files.readString(home.resolve("server.out")));
    }
}
