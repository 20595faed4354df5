package dev.membrane.graph.read.retrieval;

import java.util.Locale;

/** The {@code retrieval} setting (SPEC §6.1): how candidates are found for a stimulus with an embedding. */
public enum RetrievalMode {
    /** Snapshots for engines up to exactScanMaxNodes: exact below partitionMinRows rows, partitioned above; index beyond. */
    AUTO,
    /** Every engine's snapshot, every row. */
    EXACT,
    /** Every engine's snapshot, only the partitions nearest the query. */
    PARTITIONED,
    /** The node vector index for every engine (nodes only). */
    INDEX;

    public static RetrievalMode of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
