package dev.membrane.graph.read;

import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/**
 * A retrieved node, looked up in the store the first time something reads it. A scan keeps each query's top kMax
 * (64) rows, and the selection (SPEC §4, §6.1) cuts most of them before any is read: looking every one up by element
 * id (parsing it) was 9 % of a batch-500 {@code membrane.integrate} at 100k nodes (docs/benchmarks.md).
 * One transaction's, like the nodes it hands out; not for other threads.
 */
public final class NodeRef {
    private final Transaction tx;
    private final String elementId;
    private Node node;

    private NodeRef(Transaction tx, String elementId, Node node) {
        this.tx = tx;
        this.elementId = elementId;
        this.node = node;
    }

    /** A node already in hand. */
    public static NodeRef of(Node node) {
        return new NodeRef(null, null, node);
    }

    /** A node of {@code tx} to look up by {@code elementId} when first read. */
    public static NodeRef lazy(Transaction tx, String elementId) {
        return new NodeRef(tx, elementId, null);
    }

    public Node get() {
        if (node == null) {
            node = tx.getNodeByElementId(elementId);
        }
        return node;
    }
}
