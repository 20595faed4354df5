package dev.membrane.graph.read;

import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;

/** A retrieved link (a relationship with an embedding between two nodes of one engine) and its similarity. */
public record LinkMatch(String engineId, Relationship relationship, String linkId, Node from, String fromId, Node to,
                        String toId, double similarity) {
}
