package dev.membrane.sdk;

import dev.membrane.protocol.EnvelopeLimits;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Every tunable of a {@link MembraneEmitter}, with its default (SPEC §12; docs/sdk.md has the table). Built with
 * {@link MembraneEmitter#builder(String)}.
 *
 * @param source           who emits, {@code kind:name} (SPEC §3), for envelopes that do not name their own
 * @param busUri           the bus WebSocket
 * @param token            bearer token for the bus, or null
 * @param queueCapacity    envelopes held in memory; beyond, the oldest are dropped and counted
 * @param batchSize        envelopes that trigger a flush; a backlog queued meanwhile goes along in the same round
 * @param flushInterval    longest wait before a partial batch is sent
 * @param spoolDir         where undeliverable batches wait on disk
 * @param maxSpoolBytes    spool bound; beyond, the oldest batch files are deleted and counted
 * @param ackTimeout       how long a sent batch waits for its acks before the rest is spooled
 * @param connectTimeout   how long one connection attempt may take
 * @param reconnectMin     first reconnect delay (doubled per failure, full jitter)
 * @param reconnectMax     longest reconnect delay
 * @param maxFrameBytes    largest frame sent; a batch is split into several frames above it (the bus's limit is 1 MiB)
 * @param closeOnShutdown  register a JVM shutdown hook that calls {@code close(shutdownTimeout)}
 * @param shutdownTimeout  how long close waits for the bus at JVM exit before spooling the rest
 * @param clock            time source of {@code ts} and UUIDv7 ids
 * @param limits           envelope limits the local validation applies (must match the plugin's settings)
 */
public record EmitterOptions(
        String source,
        URI busUri,
        String token,
        int queueCapacity,
        int batchSize,
        Duration flushInterval,
        Path spoolDir,
        long maxSpoolBytes,
        Duration ackTimeout,
        Duration connectTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        int maxFrameBytes,
        boolean closeOnShutdown,
        Duration shutdownTimeout,
        Clock clock,
        EnvelopeLimits limits) {

    public static final URI DEFAULT_BUS_URI = URI.create("ws://127.0.0.1:8000/api/ws");
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    public static final int DEFAULT_BATCH_SIZE = 25;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(250);
    public static final long DEFAULT_MAX_SPOOL_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(250);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_FRAME_BYTES = 512 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    /** Default spool directory of a source: {@code <java.io.tmpdir>/membrane-spool/<source with unsafe chars as _>}. */
    public static Path defaultSpoolDir(String source) {
        return Path.of(System.getProperty("java.io.tmpdir"), "membrane-spool", source.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    public EmitterOptions {
        positive("queueCapacity", queueCapacity);
        positive("batchSize", batchSize);
        positive("maxFrameBytes", maxFrameBytes);
        positive("maxSpoolBytes", maxSpoolBytes);
        positive("flushInterval", flushInterval.toMillis());
        positive("ackTimeout", ackTimeout.toMillis());
        positive("connectTimeout", connectTimeout.toMillis());
        positive("reconnectMin", reconnectMin.toMillis());
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax (" + reconnectMax + ") must be at least reconnectMin (" + reconnectMin + ")");
        }
        String scheme = busUri.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("busUri must be ws:// or wss://, got " + busUri);
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }
}
