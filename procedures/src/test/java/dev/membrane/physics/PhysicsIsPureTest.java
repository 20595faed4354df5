package dev.membrane.physics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The physics must not depend on Neo4j (DEVELOPERS.md Style): scan the compiled classes' constant pools. */
class PhysicsIsPureTest {

    @Test
    void noPhysicsClassReferencesNeo4j() throws IOException, URISyntaxException {
        Path root = Path.of(PhysicsIsPureTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("classes").resolve("dev/membrane/physics");
        List<Path> classes;
        try (Stream<Path> s = Files.walk(root)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() > 10, "expected the physics classes under " + root);
        List<String> offenders = classes.stream().filter(PhysicsIsPureTest::mentionsNeo4j).map(Path::toString).toList();
        assertEquals(List.of(), offenders);
    }

    private static boolean mentionsNeo4j(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("org/neo4j");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
