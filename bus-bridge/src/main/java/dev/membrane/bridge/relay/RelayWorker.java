package dev.membrane.bridge.relay;

import dev.membrane.bridge.embedding.TextEmbedder;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.protocol.Ack;
import dev.membrane.sdk.spool.SpoolDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The relay's single thread: takes fair batches from the queue, embeds text-only envelopes, delivers each batch
 * through the {@link Integrator} (or spools it), and replays the spool when due. It owns the spool and the waiting
 * acks. It never dies of an exception: anything unexpected is logged and counted, and the batch's unanswered
 * envelopes are answered {@code retry} (their clients re-send; ids make that idempotent). Only {@link #stop()} or
 * interruption ends it.
 */
final class RelayWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayWorker.class);
    /** The worker wakes this often when idle, to replay the spool when due. */
    static final long IDLE_POLL_MS = 100;
    /** While Neo4j is unavailable, the spool is retried this often. */
    static final long REPLAY_INTERVAL_MS = 500;

    private final FairQueue<Pending> queue;
    private final Integrator integrator;
    private final EnvelopeSpool spool;
    private final TextEmbedder embedder;
    private final RelayMetrics metrics;
    private final int batchSize;
    private final long lingerMs;
    /** The acks of spooled envelopes whose clients are still connected, by spool batch sequence. */
    private final Map<Long, List<Consumer<Ack>>> waiting = new HashMap<>();
    private long nextReplay;
    private volatile String databaseProblem;
    private volatile boolean running = true;

    RelayWorker(FairQueue<Pending> queue, Integrator integrator, EnvelopeSpool spool, TextEmbedder embedder,
                RelayMetrics metrics, int batchSize, long lingerMs) {
        this.queue = queue;
        this.integrator = integrator;
        this.spool = spool;
        this.embedder = embedder;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
    }

    String databaseProblem() {
        return databaseProblem;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                replayIfDue();
                batch.addAll(queue.nextBatch(batchSize, IDLE_POLL_MS, lingerMs));
                if (batch.isEmpty()) {
                    continue;
                }
                if (embedder != null) {
                    MissingEmbeddings.fill(embedder, batch.stream().map(Pending::envelope).toList());
                }
                relay(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException unexpected) {
                metrics.relayErrors.incrementAndGet();
                LOG.error("relay: unexpected failure of a batch of {}; its unanswered envelopes are answered retry", batch.size(),
                        unexpected);
                for (Pending p : batch) {
                    if (!p.answered()) {
                        p.answer(Ack.retry(Integrator.idOf(p.envelope()), "relay_error: " + unexpected));
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void relay(List<Pending> batch) {
        if (spool.size() > 0) {
            spool(batch); // keep arrival order behind what is already spooled
            replayIfDue();
            return;
        }
        List<Map<String, Object>> envelopes = batch.stream().map(Pending::envelope).toList();
        Integrator.Delivery d = integrator.deliver(envelopes);
        List<Pending> undelivered = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Ack ack = d.acks().get(i);
            if (ack == null) {
                undelivered.add(batch.get(i));
            } else {
                metrics.answered(ack);
                batch.get(i).answer(ack);
            }
        }
        noteDatabase(d);
        if (!undelivered.isEmpty()) {
            spool(undelivered);
        }
    }

    private void spool(List<Pending> batch) {
        try {
            SpoolDir.Batch file = spool.write(batch.stream().map(Pending::envelope).toList());
            waiting.put(file.sequence(), batch.stream().map(Pending::ack).toList());
            metrics.spooled.addAndGet(batch.size());
            LOG.warn("spooled {} envelope(s) to {} (Neo4j: {}); {} waiting in the spool", batch.size(), file.path().getFileName(),
                    databaseProblem, spool.size());
            for (Pending p : batch) {
                p.answer(Ack.spooled(Integrator.idOf(p.envelope()), "database unreachable: durably spooled, the final ack follows on replay"));
            }
        } catch (IOException e) {
            // Neither the database nor the disk took it: say so; the client still holds the envelope and re-sends it.
            metrics.spoolFailures.addAndGet(batch.size());
            LOG.error("cannot spool {} envelope(s): {}; answered retry", batch.size(), e.getMessage());
            batch.forEach(p -> p.answer(Ack.retry(Integrator.idOf(p.envelope()), "spool_failed: " + e.getMessage())));
        }
    }

    /**
     * Replays the oldest spool file while Neo4j answers: one file per turn of the worker, so live envelopes arriving
     * meanwhile are answered (spooled behind it, in order) between files instead of waiting for the whole spool
     * (measured: three outages' worth of spool replayed in one go kept clients' acks waiting past their timeout). A
     * file it cannot finish keeps only what was not integrated, and replay waits until the next attempt.
     */
    private void replayIfDue() {
        SpoolDir.Batch file = spool.oldest();
        if (file == null || System.currentTimeMillis() < nextReplay) {
            return;
        }
        List<Map<String, Object>> envelopes;
        try {
            envelopes = spool.read(file);
        } catch (IOException e) {
            LOG.error("cannot read the spool file {}: {}", file.path(), e.toString());
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
            return;
        }
        List<Consumer<Ack>> acks = waiting.remove(file.sequence());
        Integrator.Delivery d = integrator.deliver(envelopes);
        noteDatabase(d);
        List<Consumer<Ack>> stillWaiting = new ArrayList<>();
        List<Map<String, Object>> undelivered = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            if (d.acks().get(i) == null) {
                undelivered.add(envelopes.get(i));
                stillWaiting.add(acks != null ? acks.get(i) : ack -> { });
            }
        }
        // the file is settled before the final acks, so a client that holds its final ack never finds the
        // envelope still spooled (a crash in between only costs the client a re-send, answered duplicate)
        try {
            if (undelivered.isEmpty()) {
                spool.delete(file);
            } else if (undelivered.size() < envelopes.size()) {
                spool.keep(file, undelivered);
            }
        } catch (IOException e) {
            LOG.error("cannot update the spool file {}: {}; what was delivered replays as duplicate", file.path(), e.toString());
        }
        int delivered = envelopes.size() - undelivered.size();
        metrics.replayed.addAndGet(delivered);
        for (int i = 0; i < envelopes.size(); i++) {
            Ack ack = d.acks().get(i);
            if (ack != null) {
                metrics.answered(ack);
                if (acks != null) {
                    acks.get(i).accept(ack);
                }
            }
        }
        if (!d.complete()) {
            if (acks != null) {
                waiting.put(file.sequence(), stillWaiting); // a kept batch keeps its sequence
            }
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
            return;
        }
        LOG.info("replayed {} spooled envelope(s) from {}; {} left in the spool", delivered, file.path().getFileName(),
                spool.size());
    }

    /** Remembers (and logs once per change) whether Neo4j takes transactions. */
    private void noteDatabase(Integrator.Delivery d) {
        if (d.complete() || d.acks().stream().anyMatch(a -> a != null)) {
            if (databaseProblem != null) {
                LOG.info("Neo4j answers again (was {})", databaseProblem);
                databaseProblem = null;
            }
        }
        if (!d.complete() && !d.unavailable().equals(databaseProblem)) {
            if (d.unavailable().startsWith("credentials refused")) {
                LOG.error("Neo4j refused the bridge's credentials ({}); envelopes are spooled until it accepts them "
                        + "(fix the credentials and restart the bridge: the spool is replayed)", d.unavailable());
            } else {
                LOG.warn("Neo4j cannot take transactions ({}); spooling until it does", d.unavailable());
            }
            databaseProblem = d.unavailable();
        }
    }
}
