package dev.membrane.sdk.errors;

import java.nio.charset.StandardCharsets;

/**
 * The stack trace as sent (SPEC §12): at most {@value #MAX_LINES} lines, then at most {@value #MAX_BYTES} bytes of
 * UTF-8, with a marker saying what was cut. Bounds the envelope (content ≤ 64 KiB) whatever the host throws.
 */
public final class TraceText {
    /** Lines kept. */
    public static final int MAX_LINES = 60;
    /** UTF-8 bytes kept, marker included. */
    public static final int MAX_BYTES = 16 * 1024;

    private TraceText() {
    }

    public static String of(Throwable t) {
        return truncate(lines(t));
    }

    /**
     * The {@code printStackTrace} layout (causes with "... n more" for frames shared with the enclosing trace), built
     * directly and only as far as {@value #MAX_LINES} lines plus one: cheaper than printing everything through a
     * {@code PrintWriter} and splitting it again. Suppressed exceptions are left out.
     */
    private static String lines(Throwable t) {
        StringBuilder b = new StringBuilder(2048);
        int[] lines = {0};
        StackTraceElement[] enclosing = new StackTraceElement[0];
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable x = t; x != null && seen.add(x) && lines[0] <= MAX_LINES; x = x.getCause()) {
            line(b, lines, (x == t ? "" : "Caused by: ") + x);
            StackTraceElement[] frames = x.getStackTrace();
            int m = frames.length - 1;
            int n = enclosing.length - 1;
            while (m >= 0 && n >= 0 && frames[m].equals(enclosing[n])) {
                m--;
                n--;
            }
            for (int i = 0; i <= m && lines[0] <= MAX_LINES; i++) {
                line(b, lines, "\tat " + frames[i]);
            }
            if (frames.length - 1 - m > 0) {
                line(b, lines, "\t... " + (frames.length - 1 - m) + " more");
            }
            enclosing = frames;
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int[] lines, String text) {
        b.append(text).append('\n');
        lines[0]++;
    }

    static String truncate(String trace) {
        String[] lines = trace.split("\r?\n", -1);
        int total = lines.length;
        while (total > 0 && lines[total - 1].isEmpty()) {
            total--;
        }
        int kept = Math.min(total, MAX_LINES);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kept; i++) {
            b.append(lines[i]).append('\n');
        }
        String marker = total > kept ? "\t... trace cut at " + MAX_LINES + " lines\n" : "";
        String text = b + marker;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return text;
        }
        String cut = "\t... cut at " + MAX_BYTES + " bytes\n";
        int room = MAX_BYTES - cut.getBytes(StandardCharsets.UTF_8).length;
        // Back off to a character boundary: never emit half a multi-byte character.
        while (room > 0 && (bytes[room] & 0xC0) == 0x80) {
            room--;
        }
        return new String(bytes, 0, room, StandardCharsets.UTF_8) + cut;
    }
}
