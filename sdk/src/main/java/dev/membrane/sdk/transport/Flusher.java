package dev.membrane.sdk.transport;

import dev.membrane.protocol.Ack;
import dev.membrane.protocol.Status;

import dev.membrane.protocol.EnvelopeField;
import dev.membrane.sdk.json.Json;
import dev.membrane.sdk.spool.SpoolDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emitter's daemon thread (SPEC §12). Each round: wait for a full batch or the flush interval; connect if the
 * reconnect delay has passed; replay the spool oldest first; then send the new batch — or spool it when the bus is away
 * or older batches still wait on disk, so delivery order is kept. A batch is sent as JSON-array frames of at most
 * {@code maxFrameBytes}; whatever gets no final ack within {@code ackTimeout} is spooled. Envelope ids are idempotency
 * keys at the plugin, so a batch re-sent after a lost ack is answered {@code duplicate}, never integrated twice.
 */
public final class Flusher implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.membrane.sdk");

    /** What the flusher needs from its emitter's options. */
    public record Settings(URI busUri, String token, int batchSize, Duration flushInterval, Duration ackTimeout,
                           Duration connectTimeout, Duration reconnectMin, Duration reconnectMax, int maxFrameBytes) {
    }

    /** Counters shared with {@code metrics()}. */
    public static final class Counters {
        public final AtomicLong sent = new AtomicLong();
        public final AtomicLong acked = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final AtomicLong spooled = new AtomicLong();
        public final AtomicLong spoolWrites = new AtomicLong();
        public final AtomicLong replayed = new AtomicLong();
        /** Flush rounds that failed (spool unwritable, unexpected exception); the flusher went on after each. */
        public final AtomicLong failures = new AtomicLong();
    }

    /** One serialised envelope and its id (kept beside the JSON so acks match without parsing it back). */
    private record Line(String id, String json) {
    }

    private final Settings settings;
    private final DropOldestQueue<Map<String, Object>> queue;
    private final SpoolDir spool;
    private final Counters counters;
    private final HttpClient http = HttpClient.newBuilder().build();
    private BusConnection connection;
    private long nextConnectNanos;
    private int failures;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;

    public Flusher(Settings settings, DropOldestQueue<Map<String, Object>> queue, SpoolDir spool, Counters counters) {
        this.settings = settings;
        this.queue = queue;
        this.spool = spool;
        this.counters = counters;
    }

    /** Asks the thread to deliver what is queued (until {@code deadlineNanos}, then spool the rest) and stop. */
    public void requestClose(long deadlineNanos) {
        closeDeadlineNanos = deadlineNanos;
        closing = true;
        queue.wake();
    }

    /** Weight of the newest frame in the moving average of the bus's ack rate. */
    static final double ACK_RATE_WEIGHT = 0.3;
    /**
     * Share of {@code ackTimeout} a replay frame's acks may take at the measured ack rate: half leaves room for other
     * clients' batches ahead of it (frames sized to the whole timeout timed out under three clients).
     */
    static final double REPLAY_ACK_SHARE = 0.5;
    /** Envelopes per second the bus acknowledged (a moving average over complete frames), or 0 before any. */
    private double ackRate;

    /** After a failed round (spool unwritable, an unexpected exception) the flusher pauses this long, then goes on. */
    static final long FAILURE_PAUSE_MS = 1_000;

    /**
     * The worker loop. It never dies of an exception: a round that fails — the spool cannot be written (disk full,
     * permissions) or anything unexpected — is logged with its cause and counted, its batch is lost only if it could
     * be neither sent nor spooled, and the next round starts after a short pause. Only interruption or close ends it.
     */
    @Override
    public void run() {
        try {
            while (true) {
                boolean last = closing;
                List<Map<String, Object>> batch = last ? queue.poll(settings.batchSize())
                        : queue.awaitBatch(settings.batchSize(), settings.flushInterval().toNanos());
                if (!last && !batch.isEmpty()) {
                    // A backlog rides along: a round that took batchSize while its acks came slowly (a bus spooling
                    // for a restarting Neo4j: ~5 s) let the queue fill at the emit rate and drop its oldest
                    // (measured: 687 of 12,054 in Neo4jRestartIT at 40/s with rounds of 20). Frames are still cut
                    // at maxFrameBytes.
                    batch = new ArrayList<>(batch);
                    batch.addAll(queue.poll(Integer.MAX_VALUE));
                }
                try {
                    if (last && pastCloseDeadline()) {
                        spool(lines(batch));
                        spoolNow(queue.poll(Integer.MAX_VALUE));
                        return;
                    }
                    round(batch);
                } catch (IOException e) {
                    counters.failures.incrementAndGet();
                    LOG.log(System.Logger.Level.ERROR, "membrane emitter cannot write its spool " + spool.directory() + " ("
                            + e + "); " + batch.size() + " envelope(s) of this round are lost; retrying in " + FAILURE_PAUSE_MS + " ms");
                    Thread.sleep(FAILURE_PAUSE_MS);
                } catch (RuntimeException e) {
                    counters.failures.incrementAndGet();
                    LOG.log(System.Logger.Level.ERROR, "membrane emitter: unexpected failure in a flush round; going on", e);
                    Thread.sleep(FAILURE_PAUSE_MS);
                }
                if (last && batch.isEmpty()) {
                    if (spool.isEmpty() || pastCloseDeadline()) {
                        return;
                    }
                    // Closing with something still spooled (the bus went away, or asked to retry, in the last
                    // round): keep trying until the deadline instead of giving up after one round (measured: a
                    // close(60 s) returned false within seconds in Neo4jRestartIT with envelopes left on disk).
                    awaitNextAttempt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One round: connect when due, replay the spool, then send (or spool) the new batch. */
    private void round(List<Map<String, Object>> batch) throws IOException, InterruptedException {
        connectIfDue();
        if (connection != null) {
            replaySpool();
        }
        if (!batch.isEmpty()) {
            if (connection != null && spool.isEmpty()) {
                deliver(lines(batch));
            } else {
                spool(lines(batch));
            }
        }
    }

    /** Sleeps until the next connection attempt is due, at most until the close deadline (and at least 1 ms). */
    private void awaitNextAttempt() throws InterruptedException {
        long until = connection == null ? Math.min(nextConnectNanos, closeDeadlineNanos) : System.nanoTime();
        Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
    }

    private boolean pastCloseDeadline() {
        return System.nanoTime() - closeDeadlineNanos > 0;
    }

    private void connectIfDue() throws InterruptedException {
        if (connection != null && !connection.isOpen()) {
            lost(connection.closedBecause());
        }
        if (connection != null || System.nanoTime() - nextConnectNanos < 0) {
            return;
        }
        try {
            connection = BusConnection.open(http, settings.busUri(), settings.token(), connectTimeout());
            failures = 0;
        } catch (IOException e) {
            lost(e.getMessage());
        }
    }

    /** Forget the connection and wait a jittered, doubling delay before the next attempt. */
    private void lost(String why) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        long cap = Math.min(settings.reconnectMax().toNanos(), settings.reconnectMin().toNanos() << Math.min(failures, 20));
        failures++;
        nextConnectNanos = System.nanoTime() + ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        LOG.log(System.Logger.Level.DEBUG, () -> "membrane bus unavailable (" + why + "); next attempt in "
                + (nextConnectNanos - System.nanoTime()) / 1_000_000 + " ms");
    }

    private Duration connectTimeout() {
        if (!closing) {
            return settings.connectTimeout();
        }
        long left = Math.max(1_000_000, closeDeadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, settings.connectTimeout().toNanos()));
    }

    private Duration ackTimeout() {
        if (!closing) {
            return settings.ackTimeout();
        }
        long left = Math.max(1_000_000, closeDeadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, settings.ackTimeout().toNanos()));
    }

    /**
     * Replays the spool oldest first. Consecutive spool files are sent together: one round trip per file made
     * recovery after an outage as slow as the bus's smallest batches (measured: 1,000 spooled envelopes in 53 files
     * took 12.4 s to replay, one 20-envelope transaction per round trip; 8.2 s in frames of up to 500). A group is
     * as large as the bus answers in half an {@code ackTimeout} at the ack rate measured so far (at least one
     * {@code batchSize}, at most {@code maxFrameBytes}): a frame whose acks outlast the timeout is re-sent, and every
     * re-send is a duplicate the bus must read again (measured: frames of 1 MB behind two other clients' timed out and
     * tripled the bus's work). Each file then keeps only what got no final ack; the first file with something left
     * stops the replay (the bus is in trouble again), keeping the order.
     */
    private void replaySpool() throws IOException, InterruptedException {
        List<SpoolDir.Batch> files = spool.batches();
        int next = 0;
        while (next < files.size()) {
            if (closing && pastCloseDeadline()) {
                return;
            }
            List<SpoolDir.Batch> group = new ArrayList<>();
            List<List<Line>> perFile = new ArrayList<>();
            List<Line> lines = new ArrayList<>();
            long bytes = 0;
            long room = replayGroupEnvelopes();
            while (next < files.size() && (group.isEmpty() || (bytes + files.get(next).bytes() <= settings.maxFrameBytes()
                    && lines.size() + files.get(next).count() <= room))) {
                SpoolDir.Batch b = files.get(next++);
                List<Line> fileLines = spool.read(b).stream().map(json -> new Line(idOf(json), json)).toList();
                group.add(b);
                perFile.add(fileLines);
                lines.addAll(fileLines);
                bytes += b.bytes();
            }
            Set<Line> left = Collections.newSetFromMap(new IdentityHashMap<>());
            left.addAll(send(lines));
            counters.replayed.addAndGet(lines.size() - left.size());
            for (int f = 0; f < group.size(); f++) {
                spool.replace(group.get(f), perFile.get(f).stream().filter(left::contains).map(Line::json).toList());
            }
            if (!left.isEmpty()) {
                return; // the bus is in trouble again: keep the rest, in order, for later
            }
        }
    }

    private void observeAckRate(int envelopes, long nanos) {
        double rate = envelopes / Math.max(1e-3, nanos / 1e9);
        ackRate = ackRate == 0 ? rate : (1 - ACK_RATE_WEIGHT) * ackRate + ACK_RATE_WEIGHT * rate;
    }

    /** How many envelopes one replay frame may carry: what the bus answers in REPLAY_ACK_SHARE of an ackTimeout. */
    private long replayGroupEnvelopes() {
        long answerable = (long) (ackRate * settings.ackTimeout().toMillis() / 1_000.0 * REPLAY_ACK_SHARE);
        return Math.max(settings.batchSize(), answerable);
    }

    /** Sends new envelopes; what was not acknowledged goes to the spool. */
    private void deliver(List<Line> lines) throws IOException, InterruptedException {
        spool(send(lines));
    }

    /** Sends in frames of at most maxFrameBytes; returns the lines without a final ack, in order. */
    private List<Line> send(List<Line> lines) throws InterruptedException {
        List<Line> unacked = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (connection == null) {
                unacked.addAll(lines.subList(i, lines.size()));
                break;
            }
            StringBuilder frame = new StringBuilder("[");
            List<String> ids = new ArrayList<>();
            int start = i;
            while (i < lines.size() && (i == start || frame.length() + lines.get(i).json().length() + 2 <= settings.maxFrameBytes())) {
                frame.append(i == start ? "" : ",").append(lines.get(i).json());
                ids.add(lines.get(i).id());
                i++;
            }
            frame.append(']');
            Map<String, Ack> acks;
            try {
                long t0 = System.nanoTime();
                acks = connection.send(ids, frame.toString(), ackTimeout());
                counters.sent.addAndGet(ids.size());
                if (acks.size() == ids.size()) {
                    observeAckRate(ids.size(), System.nanoTime() - t0);
                }
            } catch (IOException e) {
                lost(e.getMessage());
                unacked.addAll(lines.subList(start, lines.size()));
                break;
            }
            String retry = null;
            for (int k = 0; k < ids.size(); k++) {
                Ack ack = acks.get(ids.get(k));
                if (ack == null || !ack.isFinal()) {
                    // no answer, or the bus said retry (queue full, shutting down): keep it, spooled and re-sent in order
                    unacked.add(lines.get(start + k));
                    retry = ack != null ? ack.reason() : retry;
                    continue;
                }
                counters.acked.incrementAndGet();
                if (ack.status() == Status.REJECTED) {
                    counters.rejected.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "membrane bus rejected envelope " + ack.id() + ": " + ack.reason());
                }
            }
            if (retry != null) {
                // the bus is overloaded or stopping: back off like after a lost connection, keep the rest in order
                unacked.addAll(lines.subList(i, lines.size()));
                lost("the bus asked to retry: " + retry);
                break;
            }
            if (acks.size() < ids.size()) {
                lost("acks missing after " + ackTimeout().toMillis() + " ms");
            }
        }
        return unacked;
    }

    /**
     * Writes envelopes straight to the spool, in batches: what is left in the queue at the close deadline, or was
     * emitted while the emitter closed. Safe to call from another thread than the flusher's (the spool is).
     */
    public void spoolNow(List<Map<String, Object>> envelopes) throws IOException {
        for (int i = 0; i < envelopes.size(); i += settings.batchSize()) {
            spool(lines(envelopes.subList(i, Math.min(envelopes.size(), i + settings.batchSize()))));
        }
    }

    private void spool(List<Line> lines) throws IOException {
        if (spool.append(lines.stream().map(Line::json).toList()) != null) {
            counters.spoolWrites.incrementAndGet();
            counters.spooled.addAndGet(lines.size());
        }
    }

    private static List<Line> lines(List<Map<String, Object>> envelopes) {
        List<Line> out = new ArrayList<>(envelopes.size());
        for (Map<String, Object> e : envelopes) {
            out.add(new Line(String.valueOf(e.get(EnvelopeField.ID.wire())), Json.write(e)));
        }
        return out;
    }

    /** The id of a spooled envelope (the SDK wrote it, so it is there). */
    private static String idOf(String line) {
        Object parsed = Json.read(line);
        return parsed instanceof Map<?, ?> m ? String.valueOf(m.get("id")) : "";
    }
}
