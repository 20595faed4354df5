package dev.membrane.sdk.errors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackFingerprintTest {
    private static IllegalStateException fromLineA() {
        return new IllegalStateException("disk full on /dev/sda1");
    }

    private static IllegalStateException fromLineB() {


        return new IllegalStateException("disk full on /dev/sdb7"); // same method, other line, other message
    }

    private static IllegalStateException fromOtherMethod() {
        return new IllegalStateException("disk full on /dev/sda1");
    }

    @Test
    void sameCallPathDifferentLinesAndMessagesGiveTheSameFingerprint() {
        // fromLineA and fromLineB differ in line numbers; rename-free "deploys" keep class#method.
        IllegalStateException a = relabel(fromLineA(), "fromX");
        IllegalStateException b = relabel(fromLineB(), "fromX");
        assertNotEquals(a.getStackTrace()[0].getLineNumber(), b.getStackTrace()[0].getLineNumber());
        assertEquals(StackFingerprint.of(a), StackFingerprint.of(b));
    }

    @Test
    void anotherCallPathGivesAnotherFingerprint() {
        assertNotEquals(StackFingerprint.of(fromLineA()), StackFingerprint.of(fromOtherMethod()));
    }

    @Test
    void theInnermostCauseDefinesIt() {
        IllegalStateException root = fromLineA();
        RuntimeException wrappedOnce = new RuntimeException("outer", root);
        RuntimeException wrappedTwice = new RuntimeException("outer2", new RuntimeException("mid", root));
        assertEquals(StackFingerprint.of(root), StackFingerprint.of(wrappedOnce));
        assertEquals(StackFingerprint.of(root), StackFingerprint.of(wrappedTwice));
        assertTrue(StackFingerprint.of(root).matches("[0-9a-f]{16}"));
    }

    @Test
    void onlyTheTopFiveFramesCount() {
        IllegalStateException a = fromLineA();
        IllegalStateException b = fromLineA();
        StackTraceElement[] frames = b.getStackTrace().clone();
        frames[StackFingerprint.FRAMES] = new StackTraceElement("x.Elsewhere", "deep", "Elsewhere.java", 1);
        b.setStackTrace(frames);
        assertEquals(StackFingerprint.of(a), StackFingerprint.of(b));
        frames[StackFingerprint.FRAMES - 1] = new StackTraceElement("x.Elsewhere", "near", "Elsewhere.java", 1);
        b.setStackTrace(frames);
        assertNotEquals(StackFingerprint.of(a), StackFingerprint.of(b));
    }

    /** Gives the top frame one method name, keeping its (different) line number: the same code after an edit. */
    private static IllegalStateException relabel(IllegalStateException e, String method) {
        StackTraceElement[] f = e.getStackTrace().clone();
        f[0] = new StackTraceElement(f[0].getClassName(), method, f[0].getFileName(), f[0].getLineNumber());
        e.setStackTrace(f);
        return e;
    }
}
