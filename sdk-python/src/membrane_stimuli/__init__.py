"""Membrane stimuli from Python: the twin of the Java SDK (``docs/sdk-python.md``).

Module-level helpers use one shared emitter, built on first use from the environment like the Java SDK's:
``MEMBRANE_BUS_URL`` (default ``ws://127.0.0.1:8000/api/ws``), ``MEMBRANE_BUS_TOKEN`` and ``MEMBRANE_SOURCE``
(the shared emitter's source is ``service:<MEMBRANE_SOURCE or app>``)."""
from __future__ import annotations

import os
import threading
from typing import Any, Dict, Optional, Tuple

from .emitter import DEFAULT_BUS_URL, EmitterMetrics, MembraneEmitter
from .kinds import EnvelopeError, OriginType, Scope, StimulusFeatures

__all__ = ["MembraneEmitter", "EmitterMetrics", "Scope", "OriginType", "StimulusFeatures", "EnvelopeError",
           "emit_script_error", "emit_metric", "emit_ui_action", "emit_tool_result", "get_metrics", "get_emitter",
           "install", "ENV_BUS_URL", "ENV_BUS_TOKEN", "ENV_SOURCE"]
__version__ = "0.1.0"

#: The same environment variables as the Java SDK's shared emitter (protocol ``ClientSetting``).
ENV_SOURCE = "MEMBRANE_SOURCE"
ENV_BUS_URL = "MEMBRANE_BUS_URL"
ENV_BUS_TOKEN = "MEMBRANE_BUS_TOKEN"

_shared: Optional[MembraneEmitter] = None
_shared_lock = threading.Lock()


def _setting(name: str, fallback: Optional[str]) -> Optional[str]:
    v = os.environ.get(name)
    return fallback if v is None or not v.strip() else v


def get_emitter() -> MembraneEmitter:
    """The shared emitter, built from the environment on first use."""
    global _shared
    e = _shared
    if e is None:
        with _shared_lock:
            if _shared is None:
                _shared = MembraneEmitter("service:" + _setting(ENV_SOURCE, "app"),
                                          bus_url=_setting(ENV_BUS_URL, DEFAULT_BUS_URL),
                                          token=_setting(ENV_BUS_TOKEN, None))
            e = _shared
    return e


def install(emitter: MembraneEmitter) -> None:
    """Uses ``emitter`` for the module-level helpers from now on (closing it is the caller's business)."""
    global _shared
    with _shared_lock:
        _shared = emitter


def emit_script_error(source: str, error_message: str, scope: Any = Scope.ORGANIZATIONAL,
                      exc_info: Optional[Tuple] = None, metadata: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """A script failed (``exc_info=sys.exc_info()``): message and trace redacted, fingerprint and dedupe key set."""
    return get_emitter().emit_script_error(source=source, error_message=error_message, scope=scope, exc_info=exc_info,
                                           metadata=metadata)


def emit_metric(source: str, metric_name: str, value: float, scope: Any = Scope.ORGANIZATIONAL,
                tags: Optional[Dict[str, str]] = None) -> Optional[str]:
    """A measurement ``metric_name = value`` with optional tags."""
    return get_emitter().emit_metric(source=source, metric_name=metric_name, value=value, scope=scope, tags=tags)


def emit_ui_action(action_type: str, description: str, scope: Any = Scope.PERSONAL, citizen_id: Optional[str] = None,
                   metadata: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """A person acted in the UI; ``citizen_id`` goes to provenance only (who acted), never routes."""
    return get_emitter().emit_ui_action(action_type=action_type, description=description, scope=scope,
                                        citizen_id=citizen_id, metadata=metadata)


def emit_tool_result(tool_id: str, request_id: str, success: bool, result: str, scope: Any = Scope.ORGANIZATIONAL,
                     execution_time_ms: int = 0, provenance: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """A tool call finished (source ``tool:<tool_id>``)."""
    return get_emitter().emit_tool_result(tool_id=tool_id, request_id=request_id, success=success, result=result,
                                          scope=scope, execution_time_ms=execution_time_ms, provenance=provenance)


def get_metrics() -> EmitterMetrics:
    """The shared emitter's metrics (``dropped_count``, ``spool_writes``, ``sent``, ``acked``, ...)."""
    return get_emitter().metrics()
