/**
 * The Neo4j adapter: reads and writes {@code :Engine}, {@code :Node}, {@code :Stimulus} and their relationships
 * through the Core API inside the caller's transaction, and turns them into the records the physics takes.
 */
package dev.membrane.graph;
