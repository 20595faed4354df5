"""Building one ``membrane.inject`` envelope (SPEC §3): ids, timestamps and the checks that name the field at the
call. The one schema is ``protocol/.../envelope.schema.json``; the tests validate every envelope this package builds
against that file."""
from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, Optional

from .kinds import EnvelopeError, OriginType, Scope, StimulusFeatures, check_feature

INJECT_TYPE = "membrane.inject"
#: SPEC §3 limits at the plugin's defaults (maxContentBytes, maxFreeMapBytes, maxTargetNodes).
MAX_CONTENT_BYTES = 64 * 1024
MAX_FREE_MAP_BYTES = 16 * 1024
MAX_TARGET_NODES = 64
_SOURCE = re.compile(r"(script|service|ui|tool|test|membrane|custom):.+", re.S)
_CHANNEL = re.compile(r"[a-z0-9._:-]{1,128}")


class UuidV7:
    """Time-ordered ids (RFC 9562 UUIDv7), monotonic within a process even when the clock stands still."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last_ms = -1
        self._seq = 0

    def next(self, now_ms: int) -> str:
        with self._lock:
            if now_ms <= self._last_ms:
                now_ms = self._last_ms
                self._seq += 1
                if self._seq > 0xFFF:
                    now_ms += 1
                    self._seq = 0
            else:
                self._seq = int.from_bytes(os.urandom(2), "big") & 0x3FF  # room to count up within one millisecond
            self._last_ms = now_ms
            seq = self._seq
        rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (now_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | seq << 64 | 0b10 << 62 | rand
        return str(uuid.UUID(int=value))


def iso_ms(now_ms: int) -> str:
    return datetime.fromtimestamp(now_ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def check_source(source: str, field: str = "source") -> str:
    if not isinstance(source, str) or len(source) > 200 or not _SOURCE.fullmatch(source):
        raise EnvelopeError(field, "must be 'kind:name' with kind one of script, service, ui, tool, test, membrane, custom "
                                   f"(at most 200 characters), got {source!r}")
    return source


def _scope(scope: Any) -> str:
    try:
        return Scope(scope).value
    except ValueError:
        raise EnvelopeError("scope", f"must be one of {', '.join(s.value for s in Scope)}, got {scope!r}") from None


def _origin(origin: Any) -> Optional[str]:
    if origin is None:
        return None
    try:
        return OriginType(origin).value
    except ValueError:
        raise EnvelopeError("origin", f"must be one of {', '.join(o.value for o in OriginType)}, got {origin!r}") from None


def _free_map(field: str, value: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise EnvelopeError(field, f"must be a dict, got {type(value).__name__}")
    try:
        size = len(json.dumps(value, allow_nan=False, default=str).encode("utf-8"))
    except ValueError as e:
        raise EnvelopeError(field, f"must hold finite numbers only: {e}") from None
    if size > MAX_FREE_MAP_BYTES:
        raise EnvelopeError(field, f"serialises to {size} bytes, at most {MAX_FREE_MAP_BYTES}")
    return value


def build(ids: UuidV7, now_ms: int, source: str, scope: Any, channel: str, content: str,
          features: Optional[StimulusFeatures] = None, origin: Any = None, provenance: Optional[Dict[str, Any]] = None,
          metadata: Optional[Dict[str, Any]] = None, dedupe_key: Optional[str] = None,
          target_nodes: Optional[Iterable[str]] = None) -> Dict[str, Any]:
    """One envelope, checked; raises :class:`EnvelopeError` naming the field of the first problem."""
    check_source(source)
    if not isinstance(channel, str) or not _CHANNEL.fullmatch(channel):
        raise EnvelopeError("channel", f"must match [a-z0-9._:-]{{1,128}}, got {channel!r}")
    if not isinstance(content, str):
        raise EnvelopeError("content", f"must be a string, got {type(content).__name__}")
    size = len(content.encode("utf-8"))
    if size > MAX_CONTENT_BYTES:
        raise EnvelopeError("content", f"is {size} bytes of UTF-8, at most {MAX_CONTENT_BYTES}")
    if not content.strip() and not target_nodes:
        raise EnvelopeError("content", "must not be blank (nothing to retrieve by)")
    if features is not None and not isinstance(features, StimulusFeatures):
        if not isinstance(features, dict):
            raise EnvelopeError("features", f"must be StimulusFeatures or a dict, got {type(features).__name__}")
        for name, value in features.items():
            check_feature(name, value)  # names an unknown feature too
        features = StimulusFeatures(**features)
    e: Dict[str, Any] = {
        "type": INJECT_TYPE,
        "id": ids.next(now_ms),
        "ts": iso_ms(now_ms),
        "scope": _scope(scope),
        "source": source,
        "channel": channel,
        "content": content,
    }
    feats = features.to_dict() if features is not None else {}
    if feats:
        e["features"] = feats
    o = _origin(origin)
    if o is not None:
        e["origin"] = o
    if _free_map("provenance", provenance):
        e["provenance"] = provenance
    if _free_map("metadata", metadata):
        e["metadata"] = metadata
    if dedupe_key is not None:
        e["dedupeKey"] = dedupe_key
    if target_nodes:
        nodes = list(target_nodes)
        if len(nodes) > MAX_TARGET_NODES or not all(isinstance(n, str) and 0 < len(n) <= 512 for n in nodes):
            raise EnvelopeError("targetNodes", f"at most {MAX_TARGET_NODES} node ids of 1-512 characters")
        e["targetNodes"] = nodes
    return e


def now_ms() -> int:
    return time.time_ns() // 1_000_000
