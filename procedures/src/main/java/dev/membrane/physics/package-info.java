/**
 * The pure physics of SPEC §1-§7: formulas as small classes taking records and returning records.
 * Nothing here imports {@code org.neo4j}; {@code PhysicsIsPureTest} enforces it on the compiled classes.
 */
package dev.membrane.physics;
