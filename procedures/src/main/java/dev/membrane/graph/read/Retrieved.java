package dev.membrane.graph.read;

import java.util.ArrayList;
import java.util.List;

/** What retrieval found: node matches and link matches, each by similarity descending, each tagged with its engine. */
public record Retrieved(List<Match> nodes, List<LinkMatch> links) {

    public static final Retrieved NONE = new Retrieved(List.of(), List.of());

    public static Retrieved nodesOnly(List<Match> nodes) {
        return new Retrieved(nodes, List.of());
    }

    /** The matches owned by one engine. */
    public Retrieved of(String engineId) {
        List<Match> n = new ArrayList<>();
        nodes.forEach(m -> {
            if (m.engineId().equals(engineId)) {
                n.add(m);
            }
        });
        List<LinkMatch> l = new ArrayList<>();
        links.forEach(m -> {
            if (m.engineId().equals(engineId)) {
                l.add(m);
            }
        });
        return new Retrieved(n, l);
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && links.isEmpty();
    }
}
