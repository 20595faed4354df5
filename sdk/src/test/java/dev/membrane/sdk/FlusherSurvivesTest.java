package dev.membrane.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flusher never dies: when its spool directory becomes unwritable (here: replaced by a plain file, since root
 * ignores permissions) each failed round is logged and counted in {@code failures}, {@code emit} keeps returning, and
 * once the directory is back the emitter spools again. Nothing is sent: the bus's port is closed.
 */
class FlusherSurvivesTest {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anUnwritableSpoolIsReportedAndTheEmitterGoesOnWhenItIsBack(@TempDir Path root) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path spool = root.resolve("spool");
        MembraneEmitter emitter = MembraneEmitter.builder("script:disk").busUri("ws://127.0.0.1:" + closedPort + "/api/ws")
                .spoolDir(spool).flushInterval(Duration.ofMillis(10)).batchSize(5).connectTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(50)).closeOnShutdown(false).build();
        for (int i = 0; i < 5; i++) {
            emitter.emit("personal", "disk", "before the disk broke " + i);
        }
        await("5 spooled", () -> emitter.metrics().spooled() == 5);

        Path moved = root.resolve("spool-away");
        Files.move(spool, moved);
        Files.writeString(spool, "not a directory");
        for (int i = 0; i < 5; i++) {
            emitter.emit("personal", "disk", "while the disk is broken " + i);
        }
        await("a failed round is counted", () -> emitter.metrics().failures() >= 1);

        Files.delete(spool);
        Files.move(moved, spool);
        for (int i = 0; i < 5; i++) {
            emitter.emit("personal", "disk", "after the disk came back " + i);
        }
        await("the emitter spools again", () -> emitter.metrics().spooled() >= 10);
        assertTrue(emitter.metrics().failures() >= 1, emitter.metrics().toString());
        emitter.close(Duration.ofMillis(200));
    }

    @Test
    void anEmitterWhoseSpoolCannotBeOpenedStillStartsAndSaysWhy(@TempDir Path root) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path spool = root.resolve("spool");
        Files.writeString(spool, "a file where the spool directory should be");
        MembraneEmitter emitter = MembraneEmitter.builder("script:nodisk").busUri("ws://127.0.0.1:" + closedPort + "/api/ws")
                .spoolDir(spool).flushInterval(Duration.ofMillis(10)).connectTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(50)).closeOnShutdown(false).build();
        String problem = emitter.metrics().spoolProblem();
        assertTrue(problem != null && problem.contains(spool.toString()), String.valueOf(problem));
        emitter.emit("personal", "disk", "the host goes on");
        await("the failed spool write is counted", () -> emitter.metrics().failures() >= 1);

        Files.delete(spool);
        emitter.emit("personal", "disk", "and spools once the directory can be made");
        await("spooled", () -> emitter.metrics().spooled() >= 1 && emitter.metrics().spoolProblem() == null);
        emitter.close(Duration.ofMillis(200));
    }
}
