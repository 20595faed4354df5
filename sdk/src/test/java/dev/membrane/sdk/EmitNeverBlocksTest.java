package dev.membrane.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code emit} never waits for the bus: with a bus that accepts TCP connections and never answers (the worst case: a
 * hung process, not a refused port), 100k emits into a queue of 1000 all return, the oldest are dropped and counted,
 * and the queue holds exactly the newest. The flusher sits in a 30 s connection attempt meanwhile, so an emit that
 * waited for it would stall the loop (the build's hang guard, {@code forkedProcessTimeoutInSeconds}, catches that).
 */
class EmitNeverBlocksTest {
    @TempDir
    Path spool;

    @Test
    void withAHungBusAndAFullQueueEmitsReturnAndTheOldestAreDropped() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            MembraneEmitter emitter = MembraneEmitter.builder("script:load")
                    .busUri("ws://127.0.0.1:" + blackHole.getLocalPort() + "/api/ws")
                    .spoolDir(spool)
                    .queueCapacity(1000)
                    .batchSize(1_000_000) // the flusher never fills a batch ...
                    .flushInterval(Duration.ofHours(1)) // ... nor times out: only close() drains, so the queue is exact
                    .connectTimeout(Duration.ofSeconds(30))
                    .closeOnShutdown(false)
                    .build();
            List<String> ids = new ArrayList<>(100_000);
            for (int i = 0; i < 100_000; i++) {
                ids.add(emitter.emit("personal", "load", "reading " + i));
            }
            EmitterMetrics m = emitter.metrics();
            assertEquals(99_000, m.dropped(), m.toString());
            assertEquals(1000, m.queueDepth());

            // Closing with the bus hung: the queue goes to the spool (after the deadline), newest 1000 in order.
            boolean delivered = emitter.close(Duration.ofMillis(500));
            assertFalse(delivered, "the hung bus acknowledged nothing");
            List<String> spooled = EnvelopeContractTest.spooled(spool);
            assertEquals(1000, spooled.size());
            for (int k = 0; k < 1000; k++) {
                assertTrue(spooled.get(k).contains(ids.get(99_000 + k)), "position " + k + " holds the newest in order");
            }
            assertEquals(1000, emitter.metrics().spooled());
        }
    }
}
