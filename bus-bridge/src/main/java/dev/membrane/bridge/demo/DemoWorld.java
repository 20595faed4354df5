package dev.membrane.bridge.demo;

import dev.membrane.bridge.embedding.TextEmbedder;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads {@code cypher/demo.cypher} (shipped inside this jar) and gives its nodes embeddings from
 * a {@link TextEmbedder} (the sentence model by default, word hashing with {@code --no-model}). Idempotent: the script MERGEs, and only nodes without an embedding are embedded.
 */
public final class DemoWorld {
    /** Classpath location of the demo script (copied from the repository's cypher/ folder at build time). */
    public static final String SCRIPT = "/cypher/demo.cypher";

    private DemoWorld() {
    }

    public static void load(GraphDatabaseService db) {
        for (String statement : statements(read(SCRIPT))) {
            try (Transaction tx = db.beginTx()) {
                tx.execute(statement).close();
                tx.commit();
            }
        }
    }

    /** Embeds every {@code :Node} and {@code :SubEntity} that has text but no embedding; returns how many. */
    public static int embed(GraphDatabaseService db, TextEmbedder embedder) {
        int n = 0;
        try (Transaction tx = db.beginTx()) {
            for (String label : List.of("Node", "SubEntity")) {
                try (ResourceIterator<Node> it = tx.findNodes(Label.label(label))) {
                    while (it.hasNext()) {
                        Node node = it.next();
                        if (!node.hasProperty("embedding") && node.getProperty("text", null) instanceof String text) {
                            node.setProperty("embedding", embedder.embed(text));
                            n++;
                        }
                    }
                }
            }
            tx.commit();
        }
        return n;
    }

    static String read(String resource) {
        try (InputStream in = DemoWorld.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource + " (build with ./mvnw package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script at semicolons that end a line, dropping comment lines and blank statements. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("//")) {
                continue;
            }
            if (t.endsWith(";")) {
                cur.append(line, 0, line.lastIndexOf(';')).append('\n');
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
            } else {
                cur.append(line).append('\n');
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString());
        }
        return out;
    }
}
