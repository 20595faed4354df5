package dev.membrane.graph.cache;

import org.neo4j.graphdb.Transaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;

/** Whether a transaction already holds uncommitted changes (then shared snapshots may not match its view). */
public final class TransactionStates {
    private TransactionStates() {
    }

    public static boolean hasChanges(Transaction tx) {
        return ((InternalTransaction) tx).kernelTransaction().dataRead().transactionStateHasChanges();
    }
}
