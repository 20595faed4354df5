package dev.membrane.sdk.envelope;

/**
 * SPEC §12: {@code dedupeKey = hash(source | content with digits and hex normalised | fingerprint)}, so "timeout after
 * 3012 ms on 0x7f3a" and "timeout after 2988 ms on 0x91bc" from one source are one stimulus within the plugin's
 * dedupe window.
 */
public final class DedupeKey {
    /** Hex words at least this long (and holding a digit) are ids, not words: "9fceb02" yes, "decade" no. */
    static final int MIN_HEX_WORD = 6;

    private DedupeKey() {
    }

    public static String of(String source, String content, String fingerprint) {
        return "dk:" + Hashes.sha256Hex(source + '|' + normalise(content) + '|' + (fingerprint == null ? "" : fingerprint), 32);
    }

    /**
     * UUIDs, {@code 0x} hex and hex words ({@value #MIN_HEX_WORD}+ characters with a digit) → {@code <hex>}; other digit
     * runs → {@code #}; whitespace runs → one space; trimmed. One pass, no regex: it runs on the emitting thread.
     */
    public static String normalise(String content) {
        StringBuilder out = new StringBuilder(content.length());
        int n = content.length();
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = content.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                i++;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            if (!isAlnum(c)) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < n && isAlnum(content.charAt(end))) {
                end++;
            }
            if (isUuidAt(content, i)) {
                out.append("<hex>");
                i += 36;
            } else if (end - i > 2 && c == '0' && (content.charAt(i + 1) | 0x20) == 'x' && allHex(content, i + 2, end)) {
                out.append("<hex>");
                i = end;
            } else if (end - i >= MIN_HEX_WORD && allHex(content, i, end) && hasDigit(content, i, end)) {
                out.append("<hex>");
                i = end;
            } else {
                for (int k = i; k < end; k++) {
                    char d = content.charAt(k);
                    if (d >= '0' && d <= '9') {
                        if (k == i || !(content.charAt(k - 1) >= '0' && content.charAt(k - 1) <= '9')) {
                            out.append('#');
                        }
                    } else {
                        out.append(d);
                    }
                }
                i = end;
            }
        }
        return out.toString();
    }

    private static boolean isAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
    }

    private static boolean allHex(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!isHex(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                return true;
            }
        }
        return false;
    }

    /** 8-4-4-4-12 hex digits starting at {@code i}, not followed by another alphanumeric. */
    private static boolean isUuidAt(String s, int i) {
        if (i + 36 > s.length() || i + 36 < s.length() && isAlnum(s.charAt(i + 36))) {
            return false;
        }
        for (int k = 0; k < 36; k++) {
            char c = s.charAt(i + k);
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }
}
