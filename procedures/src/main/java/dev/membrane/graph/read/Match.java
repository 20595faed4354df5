package dev.membrane.graph.read;

import org.neo4j.graphdb.Node;

/**
 * A retrieved node of engine {@code engineId} with its similarity to the stimulus, before its state is read.
 *
 * @param ref the node, looked up in the store when first read ({@link #node()})
 */
public record Match(String engineId, NodeRef ref, String nodeId, double similarity, boolean targeted) {
    public Node node() {
        return ref.get();
    }
}
