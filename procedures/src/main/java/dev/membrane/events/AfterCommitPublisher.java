package dev.membrane.events;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;

/**
 * Publishes a transaction's buffered events into the ring only after it committed (SPEC §9): the buffer is taken
 * in {@code beforeCommit} (while the transaction is still identifiable), handed through Neo4j as the listener
 * state, published in {@code afterCommit}, and dropped in {@code afterRollback}. Never writes to the graph.
 */
public final class AfterCommitPublisher implements TransactionEventListener<TransactionBuffers.Buffer> {
    private final TransactionBuffers buffers;
    private final EventRing ring;

    public AfterCommitPublisher(TransactionBuffers buffers, EventRing ring) {
        this.buffers = buffers;
        this.ring = ring;
    }

    @Override
    public TransactionBuffers.Buffer beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService db) {
        return buffers.take(transaction);
    }

    @Override
    public void afterCommit(TransactionData data, TransactionBuffers.Buffer buffer, GraphDatabaseService db) {
        if (buffer == null) {
            return;
        }
        if (!buffer.events.isEmpty()) {
            ring.publish(buffer.events);
        }
        buffer.afterCommit.forEach(Runnable::run);
    }

    @Override
    public void afterRollback(TransactionData data, TransactionBuffers.Buffer buffer, GraphDatabaseService db) {
        // Dropped: events of a rolled-back transaction never appear.
    }
}
