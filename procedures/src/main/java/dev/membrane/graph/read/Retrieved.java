package dev.membrane.graph.read;

import java.util.List;

/** What retrieval found: node matches and link matches, each by similarity descending, each tagged with its engine. */
public record Retrieved(List<Match> nodes, List<LinkMatch> links) {

    public static final Retrieved NONE = new Retrieved(List.of(), List.of());

    public static Retrieved nodesOnly(List<Match> nodes) {
        return new Retrieved(nodes, List.of());
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && links.isEmpty();
    }
}
