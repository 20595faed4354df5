package dev.membrane.graph.schema;

/**
 * One constraint or index of SPEC §2 and what {@code membrane.setup} did about it.
 *
 * @param status {@code created}, {@code exists}, or {@code conflict} (an index of that name or on that property
 *               exists with other settings; {@code details} says which and how to fix it)
 */
public record SchemaItem(String name, String kind, String status, String details) {
    public static final String CREATED = "created";
    public static final String EXISTS = "exists";
    public static final String CONFLICT = "conflict";
}
