package dev.membrane.sdk.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The emitter's bounded buffer (SPEC §12): {@link #offer} never waits for space — when full, the oldest element is
 * discarded and counted — so a host thread is never parked by a slow or absent bus. The only wait is for the lock,
 * held for a few array operations by the flusher or another emitting thread.
 */
public final class DropOldestQueue<T> {
    private final ArrayDeque<T> items;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition enough = lock.newCondition();
    private int wantBatch = Integer.MAX_VALUE;
    private boolean closed;
    private boolean woken;
    private long dropped;

    public DropOldestQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 4096));
    }

    /** Adds {@code item}; returns false (and counts it dropped) only when the queue was closed. */
    public boolean offer(T item) {
        lock.lock();
        try {
            if (closed) {
                dropped++;
                return false;
            }
            if (items.size() == capacity) {
                items.pollFirst();
                dropped++;
            }
            items.addLast(item);
            if (items.size() >= wantBatch) {
                enough.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code max} items are queued, {@code timeoutNanos} passed or {@link #wake} was called, then takes
     * up to {@code max} items, oldest first.
     */
    public List<T> awaitBatch(int max, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            wantBatch = max;
            while (items.size() < max && left > 0 && !woken) {
                left = enough.awaitNanos(left);
            }
            woken = false;
            wantBatch = Integer.MAX_VALUE;
            return take(max);
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} items without waiting. */
    public List<T> poll(int max) {
        lock.lock();
        try {
            return take(max);
        } finally {
            lock.unlock();
        }
    }

    private List<T> take(int max) {
        int n = Math.min(max, items.size());
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.pollFirst());
        }
        return out;
    }

    /** Ends a pending {@link #awaitBatch} now (used by close and flush). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            enough.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers and returns what was still queued. */
    public List<T> close() {
        lock.lock();
        try {
            closed = true;
            return take(items.size());
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
