package dev.membrane.pipeline;

import dev.membrane.physics.injection.InjectionOutcome;

/**
 * What one envelope did in one engine (SPEC §10 {@code engines}).
 *
 * @param outcome the injection's outcome; {@code null} for a duplicate, whose answer names only the engines the
 *                original reached
 */
public record EngineResult(String engine, InjectionOutcome outcome) {
}
