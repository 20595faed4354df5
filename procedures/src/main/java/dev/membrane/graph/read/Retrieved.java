package dev.membrane.graph.read;

import java.util.List;

/** What retrieval found in one engine: node matches and link matches, each by similarity descending. */
public record Retrieved(List<Match> nodes, List<LinkMatch> links) {
    public static Retrieved nodesOnly(List<Match> nodes) {
        return new Retrieved(nodes, List.of());
    }
}
