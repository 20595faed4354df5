package dev.membrane.sdk.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return truncate(w.toString());
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
        String marker = total > kept ? "\t... " + (total - kept) + " more lines cut\n" : "";
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
