package dev.membrane.pipeline;

import dev.membrane.protocol.Status;

import java.util.List;

/**
 * The answer for one envelope of {@code membrane.integrate} (SPEC §10), in input order.
 *
 * @param status    accepted, duplicate or rejected
 * @param reason    why rejected ({@code invalid_field:…}, {@code ttl_expired}) or duplicate ({@code duplicate_id},
 *                  {@code duplicate_key}); null when accepted
 * @param engines   per engine reached (for a duplicate: the engines the original reached)
 * @param transfers membrane crossings caused (SPEC §7), each with what its mission did
 */
public record IntegrationResult(String id, Status status, String reason, List<EngineResult> engines,
                                double delivered, long flips, List<TransferResult> transfers) {
}
