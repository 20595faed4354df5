package dev.membrane.bridge.testing;

import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A standalone Neo4j server process started the way its launcher ({@code bin/neo4j console}) starts it: its own JVM,
 * {@code -cp "lib/*:plugins/*"}, the community entry point with {@code --home-dir} and {@code --config-dir}, the jars
 * in {@code plugins/} both on the classpath and scanned for procedures. Auth is on, as Neo4j ships: the initial
 * password of {@code neo4j} is changed to {@link #PASSWORD} over Bolt, as a user does on first login.
 * <p>"lib" here is the test JVM's classpath (which holds the Neo4j server) minus this project's own classes and
 * jars and APOC, so the plugins are loaded from their jars in {@code plugins/} only.
 */
public final class StandaloneNeo4j implements AutoCloseable {
    public static final String USER = "neo4j";
    public static final String PASSWORD = "membrane-test-secret-7Q";
    private static final List<String> ENTRY_POINTS = List.of("org.neo4j.server.CommunityEntryPoint", "org.neo4j.server.Neo4jCommunity");

    private final Path home;
    private final int port;
    private volatile Process process;

    private StandaloneNeo4j(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /**
     * @param plugins jars copied into {@code plugins/}
     * @param conf    extra neo4j.conf lines
     */
    public static StandaloneNeo4j start(Path home, List<Path> plugins, List<String> conf) throws Exception {
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("conf"));
        for (Path p : plugins) {
            Files.copy(p, home.resolve("plugins").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freePort();
        List<String> lines = new ArrayList<>(List.of(
                "server.bolt.listen_address=127.0.0.1:" + port,
                "server.http.enabled=false",
                "server.https.enabled=false",
                "server.memory.pagecache.size=16m",
                "server.memory.heap.max_size=512m"));
        lines.addAll(conf);
        Files.writeString(home.resolve("conf/neo4j.conf"), String.join("\n", lines) + "\n");
        StandaloneNeo4j neo4j = new StandaloneNeo4j(home, port);
        try {
            neo4j.launch();
            neo4j.awaitBolt(AuthTokens.basic(USER, "neo4j"), true);
        } catch (Exception e) {
            neo4j.close();
            throw e;
        }
        return neo4j;
    }

    private void launch() throws IOException {
        String cp = serverClasspath() + File.pathSeparator + home.resolve("plugins") + File.separator + "*";
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", cp,
                entryPoint(), "--home-dir=" + home, "--config-dir=" + home.resolve("conf"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.out").toFile()))
                .start();
    }

    /** Stops the server the way {@code neo4j stop} does (SIGTERM, a clean shutdown), and waits for it to exit. */
    public void stop() throws Exception {
        close();
    }

    /** Starts the stopped server again on the same home, port and data; returns when Bolt accepts the password. */
    public void restart() throws Exception {
        launch();
        awaitBolt(AuthTokens.basic(USER, PASSWORD), false);
    }

    public String boltUri() {
        return "bolt://127.0.0.1:" + port;
    }

    public Driver driver() {
        return GraphDatabase.driver(boltUri(), AuthTokens.basic(USER, PASSWORD));
    }

    /** What the server printed and wrote to its user log ({@code logs/neo4j.log}). */
    public String log() throws IOException {
        return Files.readString(home.resolve("server.out")) + read("logs/neo4j.log");
    }

    /** {@code logs/debug.log}, where Neo4j reports classes of a plugin jar it failed to load. */
    public String debugLog() throws IOException {
        return read("logs/debug.log");
    }

    private String read(String relative) throws IOException {
        Path p = home.resolve(relative);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** Bolt answers when the server is up; the first login must change the shipped password. */
    private void awaitBolt(AuthToken auth, boolean firstLogin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Driver d = GraphDatabase.driver(boltUri(), auth)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Neo4j exited: " + log());
                }
                try (Session s = d.session(SessionConfig.forDatabase(firstLogin ? "system" : "neo4j"))) {
                    if (firstLogin) {
                        s.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $p", Map.of("p", PASSWORD)).consume();
                    } else {
                        s.run("RETURN 1").consume();
                    }
                    return;
                } catch (org.neo4j.driver.exceptions.ServiceUnavailableException | org.neo4j.driver.exceptions.TransientException
                         | org.neo4j.driver.exceptions.SessionExpiredException notYet) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("Neo4j did not open Bolt within 120 s: " + log());
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** The test classpath without this project's classes and jars (the server must load Membrane from plugins/). */
    private static String serverClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("target" + File.separator + "classes")
                        && !e.endsWith("target" + File.separator + "test-classes")
                        && !Path.of(e).getFileName().toString().startsWith("membrane-")
                        && !Path.of(e).getFileName().toString().startsWith("apoc-"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String entryPoint() {
        for (String c : ENTRY_POINTS) {
            try {
                Class.forName(c, false, StandaloneNeo4j.class.getClassLoader());
                return c;
            } catch (ClassNotFoundException next) {
                // 5.26 has CommunityEntryPoint, 2025+ Neo4jCommunity
            }
        }
        throw new IllegalStateException("no Neo4j server entry point on the classpath: " + ENTRY_POINTS);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The built plugin jar and APOC (copied to target/ by the build for the integration tests). */
    public static List<Path> pluginAndApoc() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("membraneTest.pluginJar", "missing: run through Maven (failsafe sets membraneTest.pluginJar)")));
        try (var files = Files.list(Path.of("target", "apoc"))) {
            files.filter(f -> f.toString().endsWith(".jar")).forEach(out::add);
        }
        for (Path p : out) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("no such jar: " + p);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        Process process = this.process;
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
