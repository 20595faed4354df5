"""The emitter's disk spool (SPEC §12), in the Java SDK's layout: one file per batch that could not be delivered, one
envelope JSON per line, named ``b-<19-digit sequence>-n<count>.jsonl`` so the directory lists oldest first across
restarts. Each file is written under a temporary name, fsync'd, renamed into place and the directory fsync'd: after a
crash a batch file is complete or absent. Bounded: past ``max_bytes`` the oldest files are dropped (and counted). One
owner per directory: an exclusive lock on ``.lock`` (POSIX record locks, the kind Java's FileChannel.tryLock takes, so
a Java and a Python emitter cannot share a directory by mistake either)."""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

try:
    import fcntl
except ImportError:  # Windows: one owner per directory is then the caller's business
    fcntl = None

_NAME = re.compile(r"b-(\d{19})-n(\d+)\.jsonl")
_TMP = "incoming.tmp"
_HELD: set = set()  # directories locked by this process (POSIX locks do not conflict within one process)
_HELD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Batch:
    path: Path
    sequence: int
    count: int
    size: int


class SpoolInUse(RuntimeError):
    pass


class SpoolDir:
    """Opens (creating) ``directory``; if it cannot yet, :attr:`problem` says why and every append tries again."""

    def __init__(self, directory: os.PathLike, max_bytes: int):
        if max_bytes < 1:
            raise ValueError(f"max_spool_bytes must be positive, got {max_bytes}")
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._lock = threading.RLock()
        self._batches: List[Batch] = []
        self._bytes = 0
        self._envelopes = 0
        self._next = 0
        self._dropped = 0
        self._fd: Optional[int] = None
        self._problem: Optional[str] = None
        self._closed = False  # once closed, never reopened (a metrics() after close must not take the lock again)
        try:
            self._open()
        except OSError as e:
            self._problem = self._describe(e)

    def _describe(self, e: Exception) -> str:
        return f"spool directory {self.directory} is not writable: {e}"

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        key = str(self.directory.resolve())
        fd = os.open(self.directory / ".lock", os.O_CREAT | os.O_WRONLY, 0o644)
        with _HELD_LOCK:
            taken = key in _HELD
            if not taken and fcntl is not None:
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    taken = True
            if taken:
                os.close(fd)
                raise SpoolInUse(f"spool directory {self.directory} is in use by another owner; give each emitter "
                                 "its own spool directory")
            _HELD.add(key)
        try:
            (self.directory / _TMP).unlink(missing_ok=True)  # a torn write from a crash
            for p in sorted(self.directory.iterdir()):
                m = _NAME.fullmatch(p.name)
                if m:
                    b = Batch(p, int(m.group(1)), int(m.group(2)), p.stat().st_size)
                    self._batches.append(b)
                    self._bytes += b.size
                    self._envelopes += b.count
                    self._next = b.sequence + 1
        except OSError:
            self._release(fd, key)
            self._batches.clear()
            self._bytes = self._envelopes = 0
            raise
        self._fd = fd
        self._key = key

    def _release(self, fd: int, key: str) -> None:
        with _HELD_LOCK:
            _HELD.discard(key)
        os.close(fd)

    def _ensure_open(self) -> None:
        if self._fd is not None:
            return
        if self._closed:
            raise OSError(f"spool {self.directory} is closed")
        try:
            self._open()
            self._problem = None
        except (OSError, SpoolInUse) as e:
            self._problem = self._describe(e)
            raise OSError(self._problem) from e

    @property
    def problem(self) -> Optional[str]:
        """Why the spool cannot be written now, or None."""
        with self._lock:
            if self._fd is None and not self._closed:
                try:
                    self._ensure_open()
                except OSError:
                    pass
            return self._problem

    def append(self, lines: List[str]) -> Optional[Batch]:
        """Appends one batch durably (None for an empty one); raises OSError when it cannot be written."""
        if not lines:
            return None
        with self._lock:
            self._ensure_open()
            data = "".join(line + "\n" for line in lines).encode("utf-8")
            while self._batches and self._bytes + len(data) > self.max_bytes:
                oldest = self._batches.pop(0)
                oldest.path.unlink(missing_ok=True)
                self._bytes -= oldest.size
                self._envelopes -= oldest.count
                self._dropped += oldest.count
            try:
                b = self._write(self._next, len(lines), data)
            except OSError as e:
                self._problem = self._describe(e)
                raise
            self._next += 1
            self._problem = None
            self._batches.append(b)
            self._bytes += b.size
            self._envelopes += b.count
            return b

    def _write(self, sequence: int, count: int, data: bytes) -> Batch:
        """Writes a batch file whole: temporary name, fsync, rename into place, directory fsync."""
        tmp = self.directory / _TMP
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        path = self.directory / f"b-{sequence:019d}-n{count}.jsonl"
        os.replace(tmp, path)
        self._fsync_dir()
        return Batch(path, sequence, count, len(data))

    def _fsync_dir(self) -> None:
        try:
            dfd = os.open(self.directory, os.O_RDONLY)
        except OSError:
            return  # not possible on every platform
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    def batches(self) -> List[Batch]:
        with self._lock:
            return list(self._batches)

    def read(self, batch: Batch) -> List[str]:
        return [line for line in batch.path.read_text("utf-8").split("\n") if line]

    def replace(self, batch: Batch, remaining: List[str]) -> None:
        """Keeps only ``remaining`` of a batch (what got no final ack); removes the file when nothing remains."""
        with self._lock:
            if batch not in self._batches:
                return
            i = self._batches.index(batch)
            if not remaining:
                batch.path.unlink(missing_ok=True)
                self._batches.pop(i)
                self._bytes -= batch.size
                self._envelopes -= batch.count
                return
            if len(remaining) == batch.count:
                return
            nb = self._write(batch.sequence, len(remaining), "".join(line + "\n" for line in remaining).encode("utf-8"))
            if nb.path != batch.path:
                batch.path.unlink(missing_ok=True)
            self._batches[i] = nb
            self._bytes += nb.size - batch.size
            self._envelopes += nb.count - batch.count

    def is_empty(self) -> bool:
        with self._lock:
            return not self._batches

    @property
    def size_bytes(self) -> int:
        return self._bytes

    @property
    def envelopes(self) -> int:
        return self._envelopes

    @property
    def dropped_envelopes(self) -> int:
        return self._dropped

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._fd is not None:
                self._release(self._fd, self._key)
                self._fd = None
