package dev.membrane.events;

import org.neo4j.graphdb.Transaction;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What procedures buffer inside a transaction (events, and after-commit updates of derived caches), keyed by the
 * transaction itself, not by thread: over Bolt an explicit transaction's COMMIT may run on another worker thread
 * than the procedure call. The key is the kernel transaction object plus its sequence number, because kernel
 * transaction objects are pooled and reused. A client-side rollback never reaches the transaction listener, so
 * buffers of transactions that are no longer open are swept away lazily.
 * <p>Concurrency: a {@link ConcurrentHashMap} of per-transaction buffers; each buffer is only touched by the
 * transaction that owns it (one thread at a time).
 */
public final class TransactionBuffers {
    /** Sweep closed transactions' buffers once the map holds this many entries. */
    private static final int SWEEP_AT = 256;

    /** One transaction's buffered work. */
    public static final class Buffer {
        final List<PendingEvent> events = new ArrayList<>();
        final List<Runnable> afterCommit = new ArrayList<>();

        public void add(PendingEvent e) {
            events.add(e);
        }

        /** Runs after the transaction committed, with its events (e.g. to refresh a derived cache). */
        public void afterCommit(Runnable r) {
            afterCommit.add(r);
        }
    }

    private record Key(KernelTransaction ktx, long sequence) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ktx == ktx && k.sequence == sequence;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(ktx) * 31 + Long.hashCode(sequence);
        }

        boolean stale() {
            return !ktx.isOpen() || ktx.getTransactionSequenceNumber() != sequence;
        }
    }

    private final Map<Key, Buffer> buffers = new ConcurrentHashMap<>();

    /** The buffer of {@code tx}, created on first use. */
    public Buffer of(Transaction tx) {
        if (buffers.size() >= SWEEP_AT) {
            buffers.keySet().removeIf(Key::stale);
        }
        return buffers.computeIfAbsent(key(tx), k -> new Buffer());
    }

    /** Removes and returns the buffer of {@code tx}, or {@code null} when nothing was buffered. */
    Buffer take(Transaction tx) {
        return buffers.remove(key(tx));
    }


    private static Key key(Transaction tx) {
        KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
        return new Key(ktx, ktx.getTransactionSequenceNumber());
    }
}
