package dev.membrane.sdk.errors;

import java.util.LinkedHashMap;
import java.util.List;
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

    private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?:token|api[_-]?key|apikey|password|passwd|pwd|secret)[A-Za-z0-9_.-]*";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\\s\\S]*?(?:-----END \\1PRIVATE KEY-----|$)"), MARK),
            new Rule(Pattern.compile("(?i)(authorization\\s*[:=]\\s*\"?(?:bearer|basic|token)\\s+)[^\\s\"',;]+"), "$1" + MARK),
            new Rule(Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}"), "$1" + MARK),
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@\"']+:[^/\\s@\"']*@"), "$1" + MARK + "@"),
            new Rule(Pattern.compile("(?i)(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""), "$1\"" + MARK + "\""),
            new Rule(Pattern.compile("(?i)(\"" + SECRET_NAME + "\"\\s*:\\s*)(?!\")[^,}\\s]+"), "$1\"" + MARK + "\""),
            new Rule(Pattern.compile("(?i)(\\b" + SECRET_NAME + "\\s*[=:]\\s*)(?![\\s\"]|\\[REDACTED\\])[^\\s&,;\"']+"), "$1" + MARK),
            new Rule(Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b"), MARK));

    private SecretRedactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(out);
            if (m.find()) {
                out = m.replaceAll(r.replacement);
            }
        }
        return out;
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
            out.put(e.getKey(), SECRET_KEY.matcher(e.getKey()).matches() ? MARK : redactValue(e.getValue()));
        }
        return out;
    }

    private static final Pattern SECRET_KEY = Pattern.compile("(?i)" + SECRET_NAME);

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
