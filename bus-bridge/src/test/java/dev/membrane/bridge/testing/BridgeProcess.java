package dev.membrane.bridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged bridge ({@code target/bus-bridge.jar}; the ITs run after package) in its own JVM, as a user runs it. */
public final class BridgeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private BridgeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code java -jar target/bus-bridge.jar ARGS} with extra environment variables; does not wait. */
    public static BridgeProcess launch(List<String> args, Map<String, String> env, Path log, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "bus-bridge.jar").toString()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("NEO4J_"));
        b.environment().putAll(env);
        return new BridgeProcess(b.start(), log, port);
    }

    /** Starts the bus on {@code port} and waits until its /health answers 200. */
    public static BridgeProcess serve(List<String> args, Map<String, String> env, Path log, int port) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--serve", "--port", String.valueOf(port), "--no-model"));
        BridgeProcess p = launch(all, env, log, port);
        p.awaitHealthy();
        return p;
    }

    public void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("bridge exited with " + process.exitValue() + ": " + log());
            }
        }
        close();
        throw new IllegalStateException("bridge did not answer /health within 60 s: " + log());
    }

    /** A TCP port free on loopback now. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits for the process to end by itself; its exit status, or -1 after the timeout. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
        keepLog();
    }

    /**
     * With {@code -Dbridge.keepLogs=DIR} the bridge's log outlives the test's temporary directory (a fault test's
     * failure is read from it).
     */
    private void keepLog() {
        String dir = System.getProperty("bridge.keepLogs");
        if (dir == null || !Files.exists(log)) {
            return;
        }
        try {
            Path target = Path.of(dir).resolve("bridge-" + port + "-" + System.currentTimeMillis() + ".log");
            Files.createDirectories(target.getParent());
            Files.copy(log, target);
        } catch (IOException e) {
            System.err.println("could not keep the bridge log: " + e);
        }
    }
}
