package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.read.LinkMatch;
import dev.membrane.graph.read.NodeRef;

import java.util.Comparator;

/** A scored candidate before it becomes a match: a node, or a link ({@code link} non-null). */
public record Hit(String engineId, String id, double similarity, NodeRef node, LinkMatch link) {
    /** Best first; ties by id, so results do not depend on scan order. */
    public static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble(Hit::similarity).reversed().thenComparing(Hit::id);
}
