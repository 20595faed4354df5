package dev.membrane.bridge.relay;

import dev.membrane.protocol.Ack;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The relay's counters, gauges and batch-latency histogram. Written by the relay thread, read by /health and
 * /metrics from any thread.
 */
final class RelayMetrics {
    /** Upper bounds (ms) of the batch-latency histogram buckets. */
    static final long[] LATENCY_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000};

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong spooled = new AtomicLong();
    final AtomicLong replayed = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong relayErrors = new AtomicLong();
    /** Envelopes answered {@code retry} because neither Neo4j nor the spool could take them. */
    final AtomicLong spoolFailures = new AtomicLong();
    private final AtomicLongArray latency = new AtomicLongArray(LATENCY_BUCKETS_MS.length + 1);
    private final DoubleAdder latencySumMs = new DoubleAdder();
    private volatile long lastCommitMillis = -1;

    /** A transaction committed after {@code ms}. */
    void committed(double ms) {
        batches.incrementAndGet();
        int b = 0;
        while (b < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[b]) {
            b++;
        }
        latency.incrementAndGet(b);
        latencySumMs.add(ms);
        lastCommitMillis = System.currentTimeMillis();
    }

    /** Counts a final ack by its status. */
    void answered(Ack ack) {
        switch (ack.status()) {
            case ACCEPTED -> accepted.incrementAndGet();
            case DUPLICATE -> duplicates.incrementAndGet();
            case REJECTED -> rejected.incrementAndGet();
            default -> { } // spooled and retry are not final
        }
    }

    long[] latencyCounts() {
        long[] out = new long[latency.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = latency.get(i);
        }
        return out;
    }

    double latencySumMs() {
        return latencySumMs.sum();
    }

    /** Milliseconds since the last commit, or null before the first. */
    Long lastCommitAgoMs() {
        long last = lastCommitMillis;
        return last < 0 ? null : System.currentTimeMillis() - last;
    }
}
