package dev.membrane.bridge.testing;

import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.bridge.ws.BusServer;
import org.neo4j.driver.Driver;

import java.nio.file.Files;
import java.nio.file.Path;

/** A real bus (relay, event tail, Jetty) over a test Neo4j, on {@code port} (0 = any); close it to take the bus down. */
public final class TestBus implements AutoCloseable {
    public final Relay relay;
    public final EventTail events;
    public final BusServer server;

    public TestBus(Driver driver, int port) throws Exception {
        this(driver, port, 10_000);
    }

    /** @param queueCapacity envelopes the relay queues before it answers {@code retry} */
    public TestBus(Driver driver, int port, int queueCapacity) throws Exception {
        this(driver, port, dev.membrane.bridge.relay.Batching.DEFAULTS.withCapacity(queueCapacity));
    }

    public TestBus(Driver driver, int port, dev.membrane.bridge.relay.Batching batching) throws Exception {
        Path dir = Files.createTempDirectory("membrane-bus-spool");
        relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), batching, new EnvelopeSpool(dir),
                new DeadLetters(dir.resolve("dead-letter.jsonl")));
        events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 20, 1000);
        server = new BusServer("127.0.0.1", port, relay, events, () -> null, 1 << 20, 1000).start();
    }

    public String uri() {
        return "ws://127.0.0.1:" + server.port() + BusServer.WS_PATH;
    }

    @Override
    public void close() throws Exception {
        server.close();
        relay.close();
        events.close();
    }
}
