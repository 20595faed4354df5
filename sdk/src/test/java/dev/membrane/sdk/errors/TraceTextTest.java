package dev.membrane.sdk.errors;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceTextTest {
    private static RuntimeException deep(int depth) {
        return depth == 0 ? new RuntimeException("bottom") : deep(depth - 1);
    }

    @Test
    void aDeepTraceIsCutToSixtyLinesWithAMarker() {
        String t = TraceText.of(deep(200));
        String[] lines = t.split("\n");
        assertEquals(TraceText.MAX_LINES + 1, lines.length, "60 lines and the marker");
        assertTrue(lines[TraceText.MAX_LINES].contains("trace cut at 60 lines"), lines[TraceText.MAX_LINES]);
        assertTrue(lines[0].startsWith("java.lang.RuntimeException: bottom"));
    }

    @Test
    void longLinesAreCutToSixteenKibibytesOnACharacterBoundary() {
        String huge = "é".repeat(20_000); // 2 bytes each: 40 KB in one line
        RuntimeException e = new RuntimeException(huge);
        String t = TraceText.of(e);
        byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= TraceText.MAX_BYTES, "bytes: " + bytes.length);
        assertTrue(bytes.length > TraceText.MAX_BYTES - 64, "not cut much more than needed: " + bytes.length);
        assertFalse(t.contains("\uFFFD"), "no broken character at the cut");
        assertTrue(t.endsWith("cut at " + TraceText.MAX_BYTES + " bytes\n"));
    }

    @Test
    void causesAreKeptWithTheirSharedFramesFolded() {
        StackTraceElement main = new StackTraceElement("app.Main", "main", "Main.java", 10);
        StackTraceElement run = new StackTraceElement("app.Job", "run", "Job.java", 20);
        StackTraceElement read = new StackTraceElement("app.Disk", "read", "Disk.java", 30);
        RuntimeException bottom = new RuntimeException("bottom");
        bottom.setStackTrace(new StackTraceElement[]{read, run, main});
        RuntimeException e = new RuntimeException("outer", bottom);
        e.setStackTrace(new StackTraceElement[]{run, main});
        String t = TraceText.of(e);
        assertEquals("""
                java.lang.RuntimeException: outer
                \tat app.Job.run(Job.java:20)
                \tat app.Main.main(Main.java:10)
                Caused by: java.lang.RuntimeException: bottom
                \tat app.Disk.read(Disk.java:30)
                \t... 2 more
                """, t);
        assertTrue(t.startsWith("java.lang.RuntimeException: outer\n\tat "), t);
        assertTrue(t.contains("Caused by: java.lang.RuntimeException: bottom"), t);
        assertTrue(t.matches("(?s).*\t\\.\\.\\. \\d+ more\n.*"), t);
    }

    @Test
    void aShortTraceIsKeptWhole() {
        String t = TraceText.truncate("a\nb\nc\n");
        assertEquals("a\nb\nc\n", t);
    }
}
