package dev.membrane.bridge.relay;

import dev.membrane.bridge.embedding.TextEmbedder;
import dev.membrane.bridge.neo4j.Database;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.protocol.Ack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SPEC §11 relay, in the shape of OpenTelemetry's {@code BatchSpanProcessor}: this small facade (submit, metrics,
 * close) over a private {@link RelayWorker} thread, {@code membrane-relay}.
 * <ul>
 * <li>Fairness: one FIFO per connection drained round-robin ({@link FairQueue}), each connection filling at most its
 * share of a batch, so a huge frame from one client delays another's envelope by at most about one full batch time;
 * batches of up to {@link Batching#size()}, or whatever arrived within {@link Batching#lingerMs()}.</li>
 * <li>Delivery: one path for live batches and spool replay ({@link Integrator}): one transaction
 * {@code CALL membrane.integrate($batch)}, isolation one envelope per transaction when the batch fails as a whole,
 * dead letters for the envelope that fails alone. Each envelope's ack follows the commit.</li>
 * <li>Durability: when Neo4j cannot take transactions the batch goes to the fsync'd {@link EnvelopeSpool} and is
 * acked {@code spooled}; while anything is spooled, new batches queue behind it (order is kept); the spool is
 * replayed oldest first when Neo4j answers, each envelope then getting its final ack. If the spool cannot be
 * written either, the envelope is answered {@code retry} and stays with its client. Nothing accepted is dropped.</li>
 * </ul>
 * Producers (WebSocket threads) only offer to the queue; the worker owns the sessions, the spool, the dead-letter
 * file, and calls the ack callbacks.
 */
public final class Relay implements AutoCloseable {
    /** Upper bounds (ms) of the batch-latency histogram buckets, for /metrics. */
    public static final long[] LATENCY_BUCKETS_MS = RelayMetrics.LATENCY_BUCKETS_MS;

    private final FairQueue<Pending> queue;
    private final EnvelopeSpool spool;
    private final RelayMetrics metrics = new RelayMetrics();
    private final RelayWorker worker;
    private final Thread thread;

    public Relay(Database database, Batching batching, EnvelopeSpool spool, DeadLetters deadLetters) {
        this(database, batching, spool, deadLetters, null);
    }

    /**
     * @param embedder embeds envelopes that carry text but no embedding, per batch; null leaves them to the plugin's
     *                 full-text retrieval
     */
    public Relay(Database database, Batching batching, EnvelopeSpool spool, DeadLetters deadLetters, TextEmbedder embedder) {
        this.queue = new FairQueue<>(batching.capacity());
        this.spool = spool;
        this.worker = new RelayWorker(queue, new Integrator(database, deadLetters, metrics), spool, embedder, metrics, batching);
        this.thread = new Thread(worker, "membrane-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an envelope from an anonymous producer; false (and nothing queued) when the queue is full. */
    public boolean submit(Map<String, Object> envelope, Consumer<Ack> ack) {
        return submit(this, envelope, ack);
    }

    /**
     * Queues an envelope behind {@code producer}'s earlier ones (a bus connection); batches take one envelope per
     * producer in turn. False, and nothing queued, when the relay holds {@code capacity} envelopes already.
     */
    public boolean submit(Object producer, Map<String, Object> envelope, Consumer<Ack> ack) {
        return queue.offer(producer, new Pending(envelope, ack));
    }

    public int queueDepth() {
        return queue.size();
    }

    /** Batch latency: count per bucket (not cumulative; the last is +Inf). */
    public long[] latencyCounts() {
        return metrics.latencyCounts();
    }

    public double latencySumMs() {
        return metrics.latencySumMs();
    }

    /** The counters and gauges, for /health (JSON) and /metrics. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", metrics.accepted.get());
        m.put("rejected", metrics.rejected.get());
        m.put("duplicates", metrics.duplicates.get());
        m.put("batches", metrics.batches.get());
        m.put("queueDepth", queue.size());
        m.put("queueDepthPerConnection", queue.depths());
        m.put("spooled", metrics.spooled.get());
        m.put("replayed", metrics.replayed.get());
        m.put("deadLettered", metrics.deadLettered.get());
        m.put("spoolSize", spool.size());
        m.put("spoolFailures", metrics.spoolFailures.get());
        m.put("relayErrors", metrics.relayErrors.get());
        m.put("lastCommitAgoMs", metrics.lastCommitAgoMs());
        return m;
    }

    /** Why Neo4j cannot take transactions (unreachable, credentials refused, ...), or null once one committed. */
    public String databaseProblem() {
        return worker.databaseProblem();
    }

    /** Why the spool cannot be written (directory not writable, disk full, spool full), or null. */
    public String spoolProblem() {
        return spool.problem();
    }

    /** Stops the relay thread (waiting up to 5 s for the batch in flight); what is queued stays unacked. */
    @Override
    public void close() {
        worker.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            spool.close();
        } catch (java.io.IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
