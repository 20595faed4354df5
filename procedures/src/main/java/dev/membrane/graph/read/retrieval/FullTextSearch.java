package dev.membrane.graph.read.retrieval;

import dev.membrane.graph.model.GraphModel;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stimuli without an embedding (or whose embedding finds nothing, e.g. a graph whose nodes carry only text): the
 * full-text index, scores normalised by the best hit. The query is built from letter/digit tokens only, so no
 * Lucene syntax from a client reaches the parser.
 */
public final class FullTextSearch {
    private static final String QUERY = """
            CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
            WHERE node.engine IN $engines
            RETURN node, score""";
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Lucene refuses queries of more than 1024 clauses; distinct tokens beyond this carry little signal anyway. */
    private static final int MAX_QUERY_TOKENS = 512;

    private FullTextSearch() {
    }

    public static List<Hit> search(Transaction tx, List<String> engineIds, String content, long limit) {
        List<Hit> hits = new ArrayList<>();
        String query = luceneQuery(content);
        if (query.isEmpty()) {
            return hits;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("index", GraphModel.NODE_TEXT_INDEX);
        params.put("query", query);
        params.put("limit", limit);
        params.put("engines", engineIds);
        List<Node> nodes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        double best = 0;
        try (Result r = tx.execute(QUERY, params)) {
            while (r.hasNext()) {
                Map<String, Object> row = r.next();
                double score = ((Number) row.get("score")).doubleValue();
                nodes.add((Node) row.get("node"));
                scores.add(score);
                best = Math.max(best, score);
            }
        } catch (QueryExecutionException e) {
            throw VectorIndexSearch.missingIndex(GraphModel.NODE_TEXT_INDEX, e);
        }
        for (int i = 0; i < nodes.size() && best > 0; i++) {
            VectorIndexSearch.add(hits, nodes.get(i), Math.min(1.0, scores.get(i) / best));
        }
        return hits;
    }

    /** Lower-cased distinct letter/digit tokens joined by spaces (Lucene's default OR); operators cannot appear. */
    static String luceneQuery(String content) {
        Set<String> tokens = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(content);
        while (m.find() && tokens.size() < MAX_QUERY_TOKENS) {
            tokens.add(m.group().toLowerCase(Locale.ROOT));
        }
        return String.join(" ", tokens);
    }
}
