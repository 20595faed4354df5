"""The emitter's bounded in-memory queue: ``offer`` never waits; when full, the oldest envelope is dropped and counted
(the newest observations are the ones worth delivering)."""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Generic, List, TypeVar

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError(f"queue_capacity must be at least 1, got {capacity}")
        self._items: deque = deque()
        self._capacity = capacity
        self._cond = threading.Condition()
        self._dropped = 0
        self._evicted = 0
        self._closed = False
        self._woken = False

    def offer(self, item: T) -> bool:
        """Queues ``item`` (dropping the oldest when full); False, and counted as dropped, after :meth:`close`."""
        with self._cond:
            if self._closed:
                self._dropped += 1
                return False
            if len(self._items) >= self._capacity:
                self._items.popleft()
                self._dropped += 1
                self._evicted += 1
            self._items.append(item)
            if len(self._items) >= self._batch_hint:
                self._cond.notify()
            return True

    _batch_hint = 1

    def await_batch(self, size: int, timeout: float) -> List[T]:
        """Up to ``size`` items, as soon as ``size`` are queued or ``timeout`` seconds passed (possibly none)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._batch_hint = size
            while len(self._items) < size and not self._closed and not self._woken:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._batch_hint = 1
            self._woken = False
            return self._take(size)

    def poll(self, size: int) -> List[T]:
        with self._cond:
            return self._take(size)

    def _take(self, size: int) -> List[T]:
        n = min(size, len(self._items))
        return [self._items.popleft() for _ in range(n)]

    def wake(self) -> None:
        """Ends the current :meth:`await_batch` wait at once (the emitter is closing)."""
        with self._cond:
            self._woken = True
            self._cond.notify_all()

    def close(self) -> List[T]:
        """Refuses further offers; returns what was still queued."""
        with self._cond:
            self._closed = True
            rest = list(self._items)
            self._items.clear()
            self._cond.notify_all()
            return rest

    @property
    def dropped(self) -> int:
        """Offers lost: evicted by newer ones, or refused after close."""
        return self._dropped

    @property
    def evicted(self) -> int:
        """Queued items pushed out by newer ones (they had been accepted)."""
        return self._evicted

    def __len__(self) -> int:
        return len(self._items)
