package dev.membrane.bridge.relay;

/**
 * How the relay forms batches (SPEC §11).
 *
 * @param size            envelopes per {@code membrane.integrate} call at most
 * @param lingerMs        how long the relay waits to fill a batch
 * @param capacity        envelopes queued at most (beyond: {@code retry})
 * @param connectionShare the most of one batch a single connection may fill, as a fraction of {@code size}. Why: a
 *                        batch in flight cannot be preempted, so an envelope arriving from another connection waits
 *                        for the rest of it and then for its own batch. With half a batch per connection those two
 *                        add up to at most one full batch time while one client floods (measured: 1.15 batch times
 *                        with whole batches from one client); a lone client pays one extra commit per
 *                        {@code size} envelopes.
 */
public record Batching(int size, long lingerMs, int capacity, double connectionShare) {
    public static final int DEFAULT_SIZE = 500;
    public static final long DEFAULT_LINGER_MS = 10;
    public static final int DEFAULT_CAPACITY = 10_000;
    public static final double DEFAULT_CONNECTION_SHARE = 0.5;

    public static final Batching DEFAULTS = new Batching(DEFAULT_SIZE, DEFAULT_LINGER_MS, DEFAULT_CAPACITY, DEFAULT_CONNECTION_SHARE);

    public Batching {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        if (lingerMs < 0) {
            throw new IllegalArgumentException("linger must be at least 0 ms, got " + lingerMs);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        if (!(connectionShare > 0 && connectionShare <= 1)) {
            throw new IllegalArgumentException("connection share must be in (0, 1], got " + connectionShare);
        }
    }

    /** Envelopes one connection may put in one batch: at least one. */
    public int perConnection() {
        return Math.max(1, (int) Math.floor(size * connectionShare));
    }

    public Batching withSize(int s) {
        return new Batching(s, lingerMs, capacity, connectionShare);
    }

    public Batching withLingerMs(long l) {
        return new Batching(size, l, capacity, connectionShare);
    }

    public Batching withCapacity(int c) {
        return new Batching(size, lingerMs, c, connectionShare);
    }

    public Batching withConnectionShare(double share) {
        return new Batching(size, lingerMs, capacity, share);
    }
}
