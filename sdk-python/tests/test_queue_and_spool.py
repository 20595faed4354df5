"""The bounded drop-oldest queue and the fsync'd spool directory (real files)."""
import os
import threading
import time

import pytest

from membrane_stimuli.queue import DropOldestQueue
from membrane_stimuli.spool import SpoolDir


def test_a_full_queue_drops_its_oldest_and_counts_them():
    q = DropOldestQueue(3)
    for i in range(5):
        assert q.offer(i)
    assert q.poll(10) == [2, 3, 4] and q.dropped == 2
    assert q.close() == [] and not q.offer(9) and q.dropped == 3, "after close an offer is refused and counted"


def test_await_batch_returns_when_full_when_the_interval_passes_or_when_woken():
    q = DropOldestQueue(100)
    threading.Timer(0.05, lambda: [q.offer(i) for i in range(5)]).start()
    t0 = time.monotonic()
    assert q.await_batch(5, 5.0) == [0, 1, 2, 3, 4] and time.monotonic() - t0 < 4
    assert q.await_batch(5, 0.05) == []
    threading.Timer(0.05, q.wake).start()
    t0 = time.monotonic()
    assert q.await_batch(5, 5.0) == [] and time.monotonic() - t0 < 4


def test_batches_are_written_whole_listed_oldest_first_and_survive_a_reopen(tmp_path):
    s = SpoolDir(tmp_path, 1 << 20)
    b1 = s.append(['{"id":"a"}', '{"id":"b"}'])
    s.append(['{"id":"c"}'])
    assert b1.path.name == "b-0000000000000000000-n2.jsonl"
    assert s.envelopes == 3 and not s.is_empty()
    s.close()
    (tmp_path / "incoming.tmp").write_text("torn")  # a crash in the middle of a write
    s = SpoolDir(tmp_path, 1 << 20)
    assert not (tmp_path / "incoming.tmp").exists()
    batches = s.batches()
    assert [s.read(b) for b in batches] == [['{"id":"a"}', '{"id":"b"}'], ['{"id":"c"}']]
    s.replace(batches[0], ['{"id":"b"}'])
    assert [s.read(b) for b in s.batches()] == [['{"id":"b"}'], ['{"id":"c"}']]
    assert s.batches()[0].path.name == "b-0000000000000000000-n1.jsonl"
    for b in s.batches():
        s.replace(b, [])
    assert s.is_empty() and s.size_bytes == 0 and sorted(os.listdir(tmp_path)) == [".lock"]
    assert s.append(['{"id":"d"}']).sequence == 2, "sequence numbers keep increasing"


def test_past_its_bound_the_spool_drops_its_oldest_batches(tmp_path):
    line = '{"id":"%s","content":"' + "x" * 80 + '"}'
    s = SpoolDir(tmp_path, 400)
    for i in range(6):
        s.append([line % i])
    assert s.size_bytes <= 400 and s.dropped_envelopes == 6 - s.envelopes
    assert s.read(s.batches()[-1]) == [line % 5]


def test_one_owner_per_directory(tmp_path):
    s = SpoolDir(tmp_path, 1 << 20)
    with pytest.raises(RuntimeError, match="in use by another owner"):
        SpoolDir(tmp_path, 1 << 20)
    s.close()
    SpoolDir(tmp_path, 1 << 20).close()


def test_a_closed_spool_is_not_reopened_by_asking_its_problem(tmp_path):
    first = SpoolDir(tmp_path, 1 << 20)
    first.close()
    assert first.problem is None
    second = SpoolDir(tmp_path, 1 << 20)  # the next owner gets the directory
    second.close()
    with pytest.raises(OSError):
        first.append(['{"id":"late"}'])


def test_an_unwritable_directory_is_reported_not_fatal(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the spool directory should be")
    s = SpoolDir(blocker / "spool", 1 << 20)
    assert s.problem and "not writable" in s.problem
    with pytest.raises(OSError):
        s.append(['{"id":"a"}'])
