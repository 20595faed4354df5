package dev.membrane.sdk.envelope;

import java.util.regex.Pattern;

/**
 * SPEC §12: {@code dedupeKey = hash(source | content with digits and hex normalised | fingerprint)}, so "timeout after
 * 3012 ms on 0x7f3a" and "timeout after 2988 ms on 0x91bc" from one source are one stimulus within the plugin's
 * dedupe window.
 */
public final class DedupeKey {
    /** UUIDs, 0x-prefixed hex, and hex words of 6+ characters with at least one digit (so "decade" is kept). */
    private static final Pattern HEX = Pattern.compile(
            "(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b|\\b0x[0-9a-f]+\\b|\\b(?=[0-9a-f]*\\d)[0-9a-f]{6,}\\b");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private DedupeKey() {
    }

    public static String of(String source, String content, String fingerprint) {
        return "dk:" + Hashes.sha256Hex(source + '|' + normalise(content) + '|' + (fingerprint == null ? "" : fingerprint), 32);
    }

    /** Hex words → {@code <hex>}, digit runs → {@code #}, spaces collapsed. */
    public static String normalise(String content) {
        String s = HEX.matcher(content).replaceAll("<hex>");
        s = DIGITS.matcher(s).replaceAll("#");
        return SPACE.matcher(s).replaceAll(" ").trim();
    }
}
