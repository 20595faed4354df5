package dev.membrane.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The answer for one envelope of {@code membrane.integrate} (SPEC §10), in input order.
 *
 * @param status    accepted, duplicate or rejected
 * @param reason    why rejected ({@code invalid_field:…}, {@code ttl_expired}) or duplicate ({@code duplicate_id},
 *                  {@code duplicate_key}); null when accepted
 * @param engines   per engine reached: engine, budget{…}, delivered, flips, items (for a duplicate: the engines
 *                  the original reached)
 * @param transfers membrane crossings caused (SPEC §7): transferId, direction, from, to, nodeId, score, fit, kappa,
 *                  mission, and the mission's own delivered, flips and transfers
 */
public record IntegrationResult(String id, String status, String reason, List<Map<String, Object>> engines,
                                double delivered, long flips, List<Map<String, Object>> transfers) {
}
