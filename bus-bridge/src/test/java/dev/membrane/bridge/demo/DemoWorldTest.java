package dev.membrane.bridge.demo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoWorldTest {

    @Test
    void splitsAtSemicolonsThatEndALineAndDropsComments() {
        List<String> s = DemoWorld.statements("// header; not a statement\nMATCH (n)\nRETURN n;\n\nCREATE (:X {t: 'a;b'});\n");
        assertEquals(2, s.size());
        assertEquals("MATCH (n)\nRETURN n\n", s.get(0));
        assertTrue(s.get(1).contains("'a;b'"), "a semicolon inside a line is not a separator");
    }

    @Test
    void theShippedDemoScriptIsOnTheClasspath() {
        List<String> s = DemoWorld.statements(DemoWorld.read(DemoWorld.SCRIPT));
        assertTrue(s.size() >= 6, "engines, nodes, subentities, alignment, membranes, links: " + s.size());
    }
}
