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
    private final Batching batching;
    /** The acks of spooled envelopes whose clients are still connected, by spool batch sequence. */
    private final Map<Long, List<Consumer<Ack>>> waiting = new HashMap<>();
    private long nextReplay;
    private volatile String databaseProblem;
    private volatile boolean running = true;

    RelayWorker(FairQueue<Pending> queue, Integrator integrator, EnvelopeSpool spool, TextEmbedder embedder,
                RelayMetrics metrics, Batching batching) {
        this.queue = queue;
        this.integrator = integrator;
        this.spool = spool;
        this.embedder = embedder;
        this.metrics = metrics;
        this.batching = batching;
    }

    String databaseProblem() {
        return databaseProblem;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>(batching.size());
        while (running) {
            try {
                replayIfDue();
                batch.addAll(queue.nextBatch(batching.size(), batching.perConnection(), IDLE_POLL_MS,
                        batching.lingerMs()));
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
     * Replays the oldest spool files while Neo4j answers: one batch's worth per turn of the worker (consecutive files
     * together, up to {@link Batching#size()} envelopes, in one delivery), so live envelopes arriving meanwhile are
     * answered (spooled behind it, in order) between turns instead of waiting for the whole spool (measured: three
     * outages' worth replayed in one go kept clients' acks waiting past their timeout), and an outage's many small
     * files do not cost a transaction each (measured: with one file per turn, 11,129 envelopes in files of a few
     * each were still spooled a minute after Neo4j came back). A file that cannot be finished keeps only what was
     * not integrated, and replay waits until the next attempt.
     */
    private void replayIfDue() {
        if (spool.size() == 0 || System.currentTimeMillis() < nextReplay) {
            return;
        }
        if (databaseProblem != null) {
            String still = integrator.probe();
            if (still != null) {
                nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
                return; // live batches keep being spooled and acked meanwhile
            }
        }
        List<SpoolDir.Batch> files = spool.oldest(batching.size());
        List<Map<String, Object>> envelopes = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        try {
            for (SpoolDir.Batch file : files) {
                starts.add(envelopes.size());
                envelopes.addAll(spool.read(file));
            }
        } catch (IOException e) {
            LOG.error("cannot read the spool: {}", e.toString());
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
            return;
        }
        Integrator.Delivery d = integrator.deliver(envelopes);
        noteDatabase(d);
        int delivered = 0;
        for (int f = 0; f < files.size(); f++) {
            int from = starts.get(f);
            int to = f + 1 < files.size() ? starts.get(f + 1) : envelopes.size();
            delivered += settle(files.get(f), envelopes.subList(from, to), d.acks().subList(from, to));
        }
        metrics.replayed.addAndGet(delivered);
        if (!d.complete()) {
            nextReplay = System.currentTimeMillis() + REPLAY_INTERVAL_MS;
            return;
        }
        LOG.info("replayed {} spooled envelope(s) from {} file(s); {} left in the spool", delivered, files.size(), spool.size());
    }

    /**
     * Settles one replayed spool file: deleted when all of it was integrated, else rewritten with the rest (keeping
     * its sequence, and the acks still waiting on it). The file is settled before the final acks are sent, so a client
     * that holds its final ack never finds the envelope still spooled (a crash in between only costs the client a
     * re-send, answered duplicate). Returns how many of its envelopes were integrated.
     */
    private int settle(SpoolDir.Batch file, List<Map<String, Object>> envelopes, List<Ack> acks) {
        List<Consumer<Ack>> waitingAcks = waiting.remove(file.sequence());
        List<Consumer<Ack>> stillWaiting = new ArrayList<>();
        List<Map<String, Object>> undelivered = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            if (acks.get(i) == null) {
                undelivered.add(envelopes.get(i));
                stillWaiting.add(waitingAcks != null ? waitingAcks.get(i) : ack -> { });
            }
        }
        try {
            if (undelivered.isEmpty()) {
                spool.delete(file);
            } else if (undelivered.size() < envelopes.size()) {
                spool.keep(file, undelivered);
            }
        } catch (IOException e) {
            LOG.error("cannot update the spool file {}: {}; what was delivered replays as duplicate", file.path(), e.toString());
        }
        for (int i = 0; i < envelopes.size(); i++) {
            Ack ack = acks.get(i);
            if (ack != null) {
                metrics.answered(ack);
                if (waitingAcks != null) {
                    waitingAcks.get(i).accept(ack);
                }
            }
        }
        if (!undelivered.isEmpty() && waitingAcks != null) {
            waiting.put(file.sequence(), stillWaiting); // a kept batch keeps its sequence
        }
        return envelopes.size() - undelivered.size();
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
