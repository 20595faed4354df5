"""``MembraneEmitter``: pushes stimuli into the bus without ever slowing or breaking its host (SPEC §12).

``emit`` builds and checks the envelope (a UUIDv7 id, ``ts``), puts it in a bounded in-memory queue and returns its
id; it never waits for the network or for space (when full, the oldest queued envelope is dropped and counted). A
daemon flusher thread sends batches over WebSocket and waits for the bus's acks; what cannot be delivered goes to an
fsync'd spool directory and is replayed, oldest first, when the bus answers again. The client says *scope* and
*source* — never which engine or citizen should react: the membrane decides."""
from __future__ import annotations

import atexit
import json
import logging
import math
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import envelope as env
from . import errors
from .kinds import METRIC, SCRIPT_ERROR, TOOL_FAILURE, TOOL_SUCCESS, UI_ACTION, EnvelopeError, Scope, StimulusFeatures
from .queue import DropOldestQueue
from .spool import SpoolDir
from .transport import BusConnection, BusError

LOG = logging.getLogger("membrane_stimuli")

#: Defaults: the Java SDK's EmitterOptions.
DEFAULT_BUS_URL = "ws://127.0.0.1:8000/api/ws"
DEFAULT_QUEUE_CAPACITY = 1000
DEFAULT_BATCH_SIZE = 25
DEFAULT_FLUSH_INTERVAL = 0.25
DEFAULT_MAX_SPOOL_BYTES = 64 * 1024 * 1024
DEFAULT_ACK_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 2.0
DEFAULT_RECONNECT_MIN = 0.25
DEFAULT_RECONNECT_MAX = 30.0
DEFAULT_MAX_FRAME_BYTES = 512 * 1024
DEFAULT_SHUTDOWN_TIMEOUT = 2.0
#: After a failed round (spool unwritable, anything unexpected) the flusher pauses this long, then goes on.
FAILURE_PAUSE = 1.0


def default_spool_dir(source: str) -> Path:
    """``<tempdir>/membrane-spool/<source with unsafe characters as _>``, as the Java SDK."""
    return Path(tempfile.gettempdir()) / "membrane-spool" / re.sub(r"[^A-Za-z0-9._-]", "_", source)


@dataclass(frozen=True)
class EmitterMetrics:
    """What the emitter did so far. ``dropped_count``: dropped from the full queue (or emitted after close);
    ``spool_writes``: batches written to the spool; ``spool_dropped``: envelopes dropped from a full spool."""

    dropped_count: int
    spool_writes: int
    sent: int
    acked: int
    rejected: int
    spooled: int
    replayed: int
    spool_dropped: int
    queue_depth: int
    spool_bytes: int
    failures: int
    spool_problem: Optional[str]


class MembraneEmitter:
    """Thread-safe. Invalid arguments raise :class:`~membrane_stimuli.EnvelopeError` at the call, naming the field."""

    def __init__(self, source_id: str, bus_url: str = DEFAULT_BUS_URL, token: Optional[str] = None,
                 spool_dir: Optional[os.PathLike] = None, queue_capacity: int = DEFAULT_QUEUE_CAPACITY,
                 batch_size: int = DEFAULT_BATCH_SIZE, flush_interval: float = DEFAULT_FLUSH_INTERVAL,
                 max_spool_bytes: int = DEFAULT_MAX_SPOOL_BYTES, ack_timeout: float = DEFAULT_ACK_TIMEOUT,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT, reconnect_min: float = DEFAULT_RECONNECT_MIN,
                 reconnect_max: float = DEFAULT_RECONNECT_MAX, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
                 close_at_exit: bool = True, shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT):
        self.source_id = env.check_source(source_id, "source_id")
        for name, v in (("batch_size", batch_size), ("max_frame_bytes", max_frame_bytes)):
            if not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        for name, v in (("flush_interval", flush_interval), ("ack_timeout", ack_timeout), ("connect_timeout", connect_timeout),
                        ("reconnect_min", reconnect_min), ("reconnect_max", reconnect_max), ("shutdown_timeout", shutdown_timeout)):
            if not isinstance(v, (int, float)) or not v > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {v!r}")
        self.bus_url = bus_url
        self._token = token
        self._batch_size = batch_size
        self._flush_interval = float(flush_interval)
        self._ack_timeout = float(ack_timeout)
        self._connect_timeout = float(connect_timeout)
        self._reconnect = (float(reconnect_min), float(reconnect_max))
        self._max_frame_bytes = max_frame_bytes
        self._shutdown_timeout = float(shutdown_timeout)
        self._ids = env.UuidV7()
        self._queue: DropOldestQueue = DropOldestQueue(queue_capacity)
        self.spool = SpoolDir(spool_dir if spool_dir is not None else default_spool_dir(source_id), max_spool_bytes)
        if self.spool.problem:
            LOG.error("membrane emitter %s: %s; envelopes are delivered while the bus answers, and spooled once the "
                      "directory can be written", source_id, self.spool.problem)
        self._counts = {k: 0 for k in ("enqueued", "sent", "acked", "rejected", "spooled", "spool_writes", "replayed", "failures")}
        self._counts_lock = threading.Lock()
        self._connection: Optional[BusConnection] = None
        self._next_connect = 0.0
        self._connect_failures = 0
        self._closing = False
        self._close_deadline = 0.0
        self._closed = False
        self._close_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"membrane-emitter-{source_id}", daemon=True)
        self._thread.start()
        if close_at_exit:
            atexit.register(self._close_at_exit)

    # --- emitting (the caller's thread: never waits) ----------------------------------------------------------------

    def emit(self, scope: Any, channel: str, content: str, features: Optional[StimulusFeatures] = None,
             origin: Any = None, provenance: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None,
             target_nodes: Optional[Iterable[str]] = None) -> Optional[str]:
        """Queues one stimulus from this emitter's source and returns its id (None once closed).

        ``provenance`` may hold ``citizen_id`` — who acted, never who should react. ``target_nodes`` replace retrieval
        inside the scope; they never choose an engine or citizen."""
        dedupe = errors.dedupe_key(self.source_id, content, None) if isinstance(content, str) else None
        return self._enqueue(env.build(self._ids, env.now_ms(), self.source_id, scope, channel, content, features, origin,
                                       provenance, metadata, dedupe, target_nodes))

    def emit_script_error(self, source: str, error_message: str, scope: Any = Scope.ORGANIZATIONAL,
                          exc_info: Optional[Tuple] = None, metadata: Optional[Dict[str, Any]] = None) -> Optional[str]:
        """A script failed: the message and the trace (≤ 60 lines, ≤ 16 KiB) with secrets removed, a stack fingerprint
        stable across edits, and a dedupe key so a storm of the same error integrates once per dedupe window.
        ``exc_info`` is ``sys.exc_info()`` (or an exception)."""
        exc = _exception(exc_info)
        fp = errors.fingerprint(exc) if exc is not None else None
        message = error_message or ""
        text = errors.redact(message)
        if exc is not None:
            text += "\n" + errors.redact(errors.trace_text(exc))
        meta = dict(errors.redact_map(metadata)) if metadata else {}
        if exc is not None:
            meta["exception"] = errors.type_name(type(exc))
            meta["fingerprint"] = fp
        return self._enqueue(env.build(self._ids, env.now_ms(), source, scope, SCRIPT_ERROR.channel, text,
                                       SCRIPT_ERROR.features, SCRIPT_ERROR.origin, None, meta or None,
                                       errors.dedupe_key(source, message, fp)))

    def emit_metric(self, source: str, metric_name: str, value: float, scope: Any = Scope.ORGANIZATIONAL,
                    tags: Optional[Dict[str, str]] = None) -> Optional[str]:
        """A measurement: ``name = value`` as content, the value and tags in metadata, low-novelty features."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise EnvelopeError("metadata.value", f"a metric value must be a finite number, got {value!r}")
        meta: Dict[str, Any] = {"metric": metric_name, "value": float(value)}
        if tags:
            meta["tags"] = dict(tags)
        content = f"{metric_name} = {float(value)!r}" + (f" {dict(tags)}" if tags else "")
        # the exact value is the "fingerprint": a repeated reading integrates once per window, a changed one does not
        return self._enqueue(env.build(self._ids, env.now_ms(), source, scope, METRIC.channel, content, METRIC.features,
                                       METRIC.origin, None, meta, errors.dedupe_key(source, content, repr(float(value)))))

    def emit_ui_action(self, action_type: str, description: str, scope: Any = Scope.PERSONAL,
                       citizen_id: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None) -> Optional[str]:
        """A person acted in the UI, from this emitter's source; ``citizen_id`` is provenance only (who acted)."""
        meta = dict(errors.redact_map(metadata)) if metadata else {}
        meta["action"] = action_type
        content = f"{action_type}: {errors.redact(description or '')}"
        provenance = {"citizen_id": citizen_id} if citizen_id is not None else None
        return self._enqueue(env.build(self._ids, env.now_ms(), self.source_id, scope, UI_ACTION.channel, content,
                                       UI_ACTION.features, UI_ACTION.origin, provenance, meta,
                                       errors.dedupe_key(self.source_id, content, None)))

    def emit_tool_result(self, tool_id: str, request_id: str, success: bool, result: str,
                         scope: Any = Scope.ORGANIZATIONAL, execution_time_ms: int = 0,
                         provenance: Optional[Dict[str, Any]] = None) -> Optional[str]:
        """A tool call finished; its source is ``tool:<tool_id>``, success or failure picks the features."""
        kind = TOOL_SUCCESS if success else TOOL_FAILURE
        source = f"tool:{tool_id}"
        content = f"{tool_id} {'succeeded' if success else 'failed'}: {errors.redact(result or '')}"
        meta = {"requestId": request_id, "success": bool(success), "executionTimeMs": int(execution_time_ms)}
        return self._enqueue(env.build(self._ids, env.now_ms(), source, scope, kind.channel, content, kind.features,
                                       kind.origin, provenance, meta, errors.dedupe_key(source, content, request_id)))

    def _enqueue(self, e: Dict[str, Any]) -> Optional[str]:
        self._count("enqueued")  # before the offer: the flusher may ack it before this line would run
        if not self._queue.offer(e):
            self._count("enqueued", -1)
            return None
        return e["id"]

    def metrics(self) -> EmitterMetrics:
        with self._counts_lock:
            c = dict(self._counts)
        return EmitterMetrics(self._queue.dropped, c["spool_writes"], c["sent"], c["acked"], c["rejected"], c["spooled"],
                              c["replayed"], self.spool.dropped_envelopes, len(self._queue), self.spool.size_bytes,
                              c["failures"], self.spool.problem)

    def _count(self, key: str, n: int = 1) -> None:
        with self._counts_lock:
            self._counts[key] += n

    # --- closing ------------------------------------------------------------------------------------------------------

    def _outstanding(self) -> int:
        """Accepted envelopes with no final ack yet: queued, being sent, or spooled (those pushed out of a full queue
        or a full spool are lost, counted in metrics, and no longer outstanding)."""
        with self._counts_lock:
            acked = self._counts["acked"]
        return self._counts["enqueued"] - acked - self._queue.evicted - self.spool.dropped_envelopes

    def flush(self, timeout: float = DEFAULT_SHUTDOWN_TIMEOUT) -> bool:
        """Waits up to ``timeout`` seconds until every envelope accepted so far has a final ack; True when it has."""
        deadline = time.monotonic() + timeout
        self._queue.wake()
        while time.monotonic() < deadline:
            if self._outstanding() <= 0:
                return True
            time.sleep(0.01)
        return self._outstanding() <= 0

    def close(self, timeout: Optional[float] = None) -> bool:
        """Delivers what is queued, waiting at most ``timeout`` seconds for the bus; what is still undelivered then
        is spooled (and replayed by the next emitter on this spool directory). Later emits are dropped and counted.
        True when everything emitted was acknowledged (the spool is empty)."""
        timeout = self._shutdown_timeout if timeout is None else timeout
        with self._close_lock:
            if not self._closed:
                self._closed = True
                self._close_deadline = time.monotonic() + timeout
                self._closing = True
                self._queue.wake()
        self._thread.join(timeout + self._connect_timeout + 1.0)
        late = self._queue.close()
        try:
            self._spool_now(late)
            delivered = not self._thread.is_alive() and self.spool.is_empty()
        except OSError:
            delivered = False
        if not self._thread.is_alive():
            self.spool.close()
        try:
            atexit.unregister(self._close_at_exit)
        except Exception:
            pass
        return delivered

    def _close_at_exit(self) -> None:
        self.close(self._shutdown_timeout)

    def __enter__(self) -> "MembraneEmitter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the flusher thread ---------------------------------------------------------------------------------------------

    def _past_deadline(self) -> bool:
        return self._closing and time.monotonic() > self._close_deadline

    def _run(self) -> None:
        try:
            while True:
                last = self._closing
                batch = self._queue.poll(self._batch_size) if last else self._queue.await_batch(self._batch_size, self._flush_interval)
                if not last and batch:
                    batch += self._queue.poll(sys.maxsize)  # a backlog rides along (frames are still cut by size)
                try:
                    if last and self._past_deadline():
                        self._spool_now(batch)
                        self._spool_now(self._queue.poll(sys.maxsize))
                        return
                    self._round(batch)
                except OSError as e:
                    self._count("failures")
                    LOG.error("membrane emitter cannot write its spool %s (%s); %d envelope(s) of this round are lost; "
                              "retrying in %s s", self.spool.directory, e, len(batch), FAILURE_PAUSE)
                    time.sleep(FAILURE_PAUSE)
                except Exception:  # the flusher never dies of an exception
                    self._count("failures")
                    LOG.exception("membrane emitter: unexpected failure in a flush round; going on")
                    time.sleep(FAILURE_PAUSE)
                if last and not batch:
                    if self.spool.is_empty() or self._past_deadline():
                        return
                    # closing with something still spooled: keep trying until the deadline
                    until = self._next_connect if self._connection is None else time.monotonic()
                    time.sleep(max(0.001, min(until, self._close_deadline) - time.monotonic()))
        finally:
            if self._connection is not None:
                self._connection.close()

    def _round(self, batch: List[Dict[str, Any]]) -> None:
        self._connect_if_due()
        if self._connection is not None:
            self._replay_spool()
        if batch:
            lines = _lines(batch)
            if self._connection is not None and self.spool.is_empty():
                self._spool(self._send(lines))
            else:
                self._spool(lines)

    def _timeout(self, configured: float) -> float:
        if not self._closing:
            return configured
        return min(configured, max(0.001, self._close_deadline - time.monotonic()))

    def _connect_if_due(self) -> None:
        if self._connection is not None and not self._connection.connected:
            self._lost("connection closed")
        if self._connection is not None or time.monotonic() < self._next_connect:
            return
        try:
            self._connection = BusConnection.open(self.bus_url, self._token, self._timeout(self._connect_timeout))
            self._connect_failures = 0
        except BusError as e:
            self._lost(str(e))

    def _lost(self, why: str) -> None:
        """Forget the connection and wait a jittered, doubling delay before the next attempt."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        low, high = self._reconnect
        cap = min(high, low * (2 ** min(self._connect_failures, 20)))
        self._connect_failures += 1
        self._next_connect = time.monotonic() + random.uniform(cap / 2, cap)
        LOG.debug("membrane bus unavailable (%s); next attempt in %.0f ms", why, (self._next_connect - time.monotonic()) * 1000)

    def _replay_spool(self) -> None:
        """Replays the spool oldest first, consecutive files in one frame up to batch size and frame size; each file
        then keeps only what got no final ack; the first with something left stops the replay (order is kept)."""
        files = self.spool.batches()
        i = 0
        while i < len(files):
            if self._past_deadline():
                return
            group, per_file, lines, size = [], [], [], 0
            while i < len(files) and (not group or (size + files[i].size <= self._max_frame_bytes
                                                    and len(lines) + files[i].count <= max(self._batch_size, 500))):
                b = files[i]
                i += 1
                file_lines = [(_id_of(j), j) for j in self.spool.read(b)]
                group.append(b)
                per_file.append(file_lines)
                lines += file_lines
                size += b.size
            left = {id(x) for x in self._send(lines)}
            self._count("replayed", len(lines) - len(left))
            for b, file_lines in zip(group, per_file):
                self.spool.replace(b, [line for (_, line) in (x for x in file_lines if id(x) in left)])
            if left:
                return

    def _send(self, lines: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
        """Sends in frames of at most max_frame_bytes; returns the lines without a final ack, in order."""
        unacked: List[Tuple[str, str]] = []
        i = 0
        while i < len(lines):
            if self._connection is None:
                unacked += lines[i:]
                break
            start = i
            parts, size = [], 2
            while i < len(lines) and (i == start or size + len(lines[i][1]) + 1 <= self._max_frame_bytes):
                parts.append(lines[i][1])
                size += len(lines[i][1]) + 1
                i += 1
            ids = [x[0] for x in lines[start:i]]
            try:
                acks = self._connection.send(ids, "[" + ",".join(parts) + "]", self._timeout(self._ack_timeout))
                self._count("sent", len(ids))
            except BusError as e:
                self._lost(str(e))
                unacked += lines[start:]
                break
            retry = None
            for k, ident in enumerate(ids):
                ack = acks.get(ident)
                if ack is None or not ack.final:
                    unacked.append(lines[start + k])  # no answer, or retry: kept, spooled and re-sent in order
                    retry = (ack.reason or "retry") if ack is not None else retry
                    continue
                self._count("acked")
                if ack.status == "rejected":
                    self._count("rejected")
                    LOG.warning("membrane bus rejected envelope %s: %s", ack.id, ack.reason)
            if retry is not None:
                unacked += lines[i:]
                self._lost(f"the bus asked to retry: {retry}")
                break
            if len(acks) < len(ids):
                self._lost(f"acks missing after {self._ack_timeout} s")
        return unacked

    def _spool(self, lines: List[Tuple[str, str]]) -> None:
        if lines and self.spool.append([j for _, j in lines]) is not None:
            self._count("spool_writes")
            self._count("spooled", len(lines))

    def _spool_now(self, envelopes: List[Dict[str, Any]]) -> None:
        for k in range(0, len(envelopes), self._batch_size):
            self._spool(_lines(envelopes[k:k + self._batch_size]))


def _lines(envelopes: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    return [(e["id"], json.dumps(e, ensure_ascii=False, separators=(",", ":"), default=str)) for e in envelopes]


def _id_of(line: str) -> str:
    try:
        return str(json.loads(line).get("id", ""))
    except ValueError:
        return ""


def _exception(exc_info: Any) -> Optional[BaseException]:
    if exc_info is None:
        return None
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1]
    if exc_info is True:
        return sys.exc_info()[1]
    raise EnvelopeError("exc_info", f"must be sys.exc_info(), an exception or None, got {type(exc_info).__name__}")
