package dev.membrane.graph.read;

import org.neo4j.graphdb.Node;

/** A retrieved node of engine {@code engineId} with its similarity to the stimulus, before its state is read. */
public record Match(String engineId, Node node, String nodeId, double similarity, boolean targeted) {
}
