/**
 * The Java client of the membrane bus (SPEC §12): {@code MembraneEmitter} and typed emitters that build
 * envelopes, never block their host and spool to disk when the bus is down. Built in the SDK milestone; the
 * module exists now so the build, the envelope schema it shares ({@code dev.membrane.protocol}) and CI are in place.
 */
package dev.membrane.sdk;
