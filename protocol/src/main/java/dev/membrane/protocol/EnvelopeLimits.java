package dev.membrane.protocol;

/**
 * The tunable bounds the schema checks against (SPEC §3). The plugin fills it from its configuration;
 * {@link #DEFAULTS} are the specified defaults, for clients that validate before sending.
 *
 * @param embeddingDimensions required length of {@code embedding}
 * @param maxContentBytes     UTF-8 size limit of {@code content}
 * @param maxOriginDepth      largest {@code originChainDepth}
 * @param maxClockSkewMs      how far in the future {@code ts} may lie
 * @param maxTargetNodes      largest {@code targetNodes} list
 * @param maxFreeMapBytes     serialised size limit of {@code provenance} and of {@code metadata}
 */
public record EnvelopeLimits(
        int embeddingDimensions,
        int maxContentBytes,
        int maxOriginDepth,
        long maxClockSkewMs,
        int maxTargetNodes,
        int maxFreeMapBytes) {

    public static final EnvelopeLimits DEFAULTS = new EnvelopeLimits(384, 64 * 1024, 2, 300_000L, 64, 16 * 1024);
}
