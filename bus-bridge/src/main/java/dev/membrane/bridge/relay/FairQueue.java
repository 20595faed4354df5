package dev.membrane.bridge.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SPEC §11 fairness: one FIFO per producer (a bus connection), drained round-robin into batches, each producer
 * filling at most its share of a batch ({@link Batching#connectionShare()}), so one client's 10,000-envelope frame
 * delays another client's single envelope by at most about one full batch time. Bounded in total: an offer beyond
 * {@code capacity} is refused (the bus answers {@code retry}).
 * <p>Concurrency: producers (WebSocket threads) offer, one consumer (the relay worker) drains; everything is guarded
 * by one lock, held only to move references.
 *
 * @param <T> the queued item
 */
final class FairQueue<T> {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Producer → its FIFO, in round-robin order (a producer whose FIFO empties leaves the ring). */
    private final LinkedHashMap<Object, ArrayDeque<T>> queues = new LinkedHashMap<>();
    private int size;

    FairQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues {@code item} behind {@code producer}'s earlier ones; false, queuing nothing, when full. */
    boolean offer(Object producer, T item) {
        lock.lock();
        try {
            if (size >= capacity) {
                return false;
            }
            queues.computeIfAbsent(producer, p -> new ArrayDeque<>()).addLast(item);
            size++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code firstWaitMs} for anything, then up to {@code lingerMs} more to fill a batch of {@code max},
     * taking one item per producer in turn and at most {@code perProducer} from any one. Returns early when what is
     * left belongs to producers that have had their share (lingering would not fill the batch). Empty when nothing
     * arrived.
     */
    List<T> nextBatch(int max, int perProducer, long firstWaitMs, long lingerMs) throws InterruptedException {
        List<T> batch = new ArrayList<>(Math.min(max, 1024));
        Map<Object, Integer> taken = new HashMap<>();
        lock.lock();
        try {
            long wait = TimeUnit.MILLISECONDS.toNanos(firstWaitMs);
            while (size == 0) {
                if (wait <= 0) {
                    return batch;
                }
                wait = notEmpty.awaitNanos(wait);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
            while (true) {
                boolean capped = drainRoundRobin(batch, max, perProducer, taken);
                long left = deadline - System.nanoTime();
                if (batch.size() >= max || left <= 0 || capped) {
                    return batch;
                }
                notEmpty.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One item from each producer in turn until the batch is full, or every FIFO is empty or its producer has had
     * {@code perProducer} items of this batch; rotates the ring. True when items remain only behind capped producers.
     */
    private boolean drainRoundRobin(List<T> batch, int max, int perProducer, Map<Object, Integer> taken) {
        boolean servedAny = true;
        while (batch.size() < max && size > 0 && servedAny) {
            servedAny = false;
            Iterator<Map.Entry<Object, ArrayDeque<T>>> it = queues.entrySet().iterator();
            List<Map.Entry<Object, ArrayDeque<T>>> served = new ArrayList<>();
            while (it.hasNext() && batch.size() < max) {
                Map.Entry<Object, ArrayDeque<T>> e = it.next();
                if (taken.getOrDefault(e.getKey(), 0) >= perProducer) {
                    continue;
                }
                batch.add(e.getValue().pollFirst());
                taken.merge(e.getKey(), 1, Integer::sum);
                size--;
                servedAny = true;
                it.remove();
                if (!e.getValue().isEmpty()) {
                    served.add(e);
                }
            }
            // producers served this round go to the back of the ring, in the order they were served
            served.forEach(e -> queues.put(e.getKey(), e.getValue()));
        }
        return size > 0 && !servedAny;
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Queued items per producer, for /health. */
    List<Integer> depths() {
        lock.lock();
        try {
            return queues.values().stream().map(ArrayDeque::size).toList();
        } finally {
            lock.unlock();
        }
    }
}
