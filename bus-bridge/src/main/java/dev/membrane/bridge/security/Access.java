package dev.membrane.bridge.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SPEC §11 access rules of the bus. With no tokens configured every connection may inject any source (the bus binds
 * loopback by default); with tokens, a connection must present one ({@code Authorization: Bearer …} or
 * {@code ?token=} for browsers) and may only inject sources that start with the prefixes its token allows (a token for
 * {@code ui:} cannot inject as {@code script:}). With an Origin allow-list, browser connections from other origins are
 * refused.
 *
 * @param tokens  token → allowed source prefixes; empty = no authentication
 * @param origins allowed {@code Origin} header values; empty = any (non-browser clients send none)
 */
public record Access(Map<String, List<String>> tokens, Set<String> origins) {

    public static final Access OPEN = new Access(Map.of(), Set.of());

    /** The source prefixes a connection may use, or empty when it may not connect. */
    public Optional<List<String>> admit(String bearerToken) {
        if (tokens.isEmpty()) {
            return Optional.of(List.of(""));
        }
        return Optional.ofNullable(bearerToken == null ? null : tokens.get(bearerToken));
    }

    public boolean originAllowed(String origin) {
        return origins.isEmpty() || origin == null || origins.contains(origin);
    }

    public static boolean sourceAllowed(String source, List<String> prefixes) {
        return source != null && prefixes.stream().anyMatch(source::startsWith);
    }
}
