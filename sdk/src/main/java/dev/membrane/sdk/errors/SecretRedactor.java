package dev.membrane.sdk.errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it leaves the host (SPEC §12): the value is replaced, not masked, so nothing of it
 * reaches the bus, the graph or the spool. Shapes covered, in the order applied:
 * <ol>
 *   <li>private key blocks ({@code -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----});</li>
 *   <li>{@code Authorization: Bearer|Basic …} headers and bare {@code Bearer <token>};</li>
 *   <li>credentials in URLs ({@code scheme://user:password@host} → {@code scheme://[REDACTED]@host});</li>
 *   <li>JSON values of secret-named keys ({@code "token"}, {@code "api_key"}, {@code "password"}, {@code "secret"},
 *       and names containing them such as {@code "access_token"}, {@code "client_secret"});</li>
 *   <li>{@code key=value} / {@code key: value} pairs with those names (query strings, log lines, env dumps);</li>
 *   <li>AWS-style access key ids ({@code AKIA…}/{@code ASIA…}, 20 characters).</li>
 * </ol>
 * Every replacement is the literal {@value #MARK}.
 */
public final class SecretRedactor {
    /** What a removed secret is replaced with. */
    public static final String MARK = "[REDACTED]";

    /** A key names a secret when it contains one of these words (case-insensitive): api_key, client_secret, DB_PASSWORD. */
    private static final Pattern SECRET_WORD = Pattern.compile("(?i)token|api[_-]?key|apikey|password|passwd|pwd|secret");

    // Possessive quantifiers (*+, ++) throughout: a stack trace is mostly long dotted identifiers, and a backtracking
    // identifier pattern costs O(length²) per identifier (measured: ~1 ms per script error before this).
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\\s\\S]*?(?:-----END \\1PRIVATE KEY-----|$)");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization\\s*+[:=]\\s*+\"?(?:bearer|basic|token)\\s++)[^\\s\"',;]++");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s++)(?!\\[REDACTED\\])[A-Za-z0-9._~+/=-]{8,}+");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*+://)[^/\\s:@\"']++:[^/\\s@\"']*+@");
    /** "key": "value" or "key": bare-value, in JSON text. */
    private static final Pattern JSON_PAIR = Pattern.compile(
            "(\"([^\"\\\\]{1,128}+)\"\\s*+:\\s*+)(\"(?:[^\"\\\\]|\\\\.)*+\"|[^,}\\]\\s\"]++)");
    /**
     * key=value and key: value, in query strings, log lines and environment dumps, where the key names a secret. Only
     * such keys are matched: a pattern taking any key first consumed "failed: password=hunter2" as the key "failed"
     * with the value "password=hunter2", and the password stayed (found by the Python twin's tests).
     */
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*?(?:token|api[_-]?key|apikey|password|passwd|pwd|secret)[A-Za-z0-9_.-]*+)(\\s*+[=:]\\s*+)([^\\s&,;\"'\\[][^\\s&,;\"']*+)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b");

    private SecretRedactor() {
    }

    /** Prefixes of AWS key ids, checked with indexOf before any regex runs. */
    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"};
    /** Lower-case fragments of the secret words, the cheap gate before the key rules. */
    private static final String[] SECRET_HINTS = {"token", "key", "pass", "pwd", "secret"};

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // Most texts hold no secret at all: each rule runs only when a plain substring it needs is present
        // (String.indexOf is vectorised; a case-insensitive regex scan of a 1 KB trace costs ~25 µs per rule).
        String lower = text.toLowerCase(Locale.ROOT);
        String out = text;
        if (out.contains("PRIVATE KEY-----")) {
            out = PRIVATE_KEY.matcher(out).replaceAll(MARK);
        }
        if (lower.contains("authorization")) {
            out = AUTHORIZATION.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK));
        }
        if (lower.contains("bearer")) {
            out = BEARER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK));
        }
        if (out.contains("://")) {
            out = URL_CREDENTIALS.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK) + "@");
        }
        if (containsAny(lower, SECRET_HINTS)) {
            out = JSON_PAIR.matcher(out).replaceAll(m -> SECRET_WORD.matcher(m.group(2)).find()
                    ? Matcher.quoteReplacement(m.group(1) + "\"" + MARK + "\"") : Matcher.quoteReplacement(m.group()));
            out = KEY_VALUE.matcher(out).replaceAll(m -> !m.group(3).equals(MARK)
                    ? Matcher.quoteReplacement(m.group(1) + m.group(2) + MARK) : Matcher.quoteReplacement(m.group()));
        }
        if (containsAny(out, AWS_PREFIXES)) {
            out = AWS_KEY_ID.matcher(out).replaceAll(MARK);
        }
        return out;
    }

    private static boolean containsAny(String text, String[] parts) {
        for (String p : parts) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redacts every string inside a free-form map (keys kept; a value under a secret-named key is removed whole,
     * whatever its type).
     */
    public static Map<String, Object> redact(Map<String, ?> map) {
        if (map == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            out.put(e.getKey(), SECRET_WORD.matcher(e.getKey()).find() ? MARK : redactValue(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object redactValue(Object v) {
        if (v instanceof String s) {
            return redact(s);
        }
        if (v instanceof Map<?, ?> m) {
            return redact((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(SecretRedactor::redactValue).toList();
        }
        return v;
    }
}
