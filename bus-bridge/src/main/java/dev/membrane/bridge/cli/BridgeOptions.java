package dev.membrane.bridge.cli;

import dev.membrane.bridge.relay.Batching;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The bus's settings (SPEC §11), each with its documented default; set on the command line.
 *
 * @param host            bind address (loopback by default: the bus is not meant to face a network unguarded)
 * @param port            bus port ({@code ws://host:port/api/ws}, {@code GET /health})
 * @param batching        how the relay forms batches: size, linger, queue capacity, one connection's share
 * @param maxMessageBytes largest WebSocket text frame
 * @param maxPendingSends unsent messages per connection before a slow subscriber is dropped
 * @param eventPollMs     how often the event tail polls {@code membrane.events}
 * @param spoolDir        where unreachable-database batches are spooled and dead letters written
 * @param maxSpoolBytes   the spool's bound on disk; past it a batch Neo4j cannot take is answered {@code retry}
 * @param txRetry         how long the driver retries a transaction that fails transiently (Neo4j restarting,
 *                        unreachable) before the batch is spooled: the relay's one retry layer. Short, because the
 *                        relay (and every client's ack) waits meanwhile, and the spool is durable.
 */
public record BridgeOptions(String host, int port, Batching batching, long maxMessageBytes,
                            int maxPendingSends, long eventPollMs, Path spoolDir, long maxSpoolBytes, Duration txRetry) {

    public static final BridgeOptions DEFAULTS = new BridgeOptions("127.0.0.1", 8000, Batching.DEFAULTS, 1 << 20, 1_000, 50,
            Path.of("membrane-spool"), 1L << 30, Duration.ofSeconds(5));

    public BridgeOptions withHost(String h) {
        return new BridgeOptions(h, port, batching, maxMessageBytes, maxPendingSends, eventPollMs,
                spoolDir, maxSpoolBytes, txRetry);
    }

    public BridgeOptions withPort(int p) {
        return new BridgeOptions(host, p, batching, maxMessageBytes, maxPendingSends, eventPollMs,
                spoolDir, maxSpoolBytes, txRetry);
    }

    public BridgeOptions withBatching(Batching b) {
        return new BridgeOptions(host, port, b, maxMessageBytes, maxPendingSends, eventPollMs,
                spoolDir, maxSpoolBytes, txRetry);
    }

    public BridgeOptions withSpool(Path dir, long maxBytes) {
        return new BridgeOptions(host, port, batching, maxMessageBytes, maxPendingSends, eventPollMs,
                dir, maxBytes, txRetry);
    }

    public BridgeOptions withTxRetry(Duration retry) {
        return new BridgeOptions(host, port, batching, maxMessageBytes, maxPendingSends, eventPollMs,
                spoolDir, maxSpoolBytes, retry);
    }
}
