"""Scopes, origins, features and the typed emitters' defaults (SPEC §3, §12): the same values as the Java SDK."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import Enum
from typing import Dict, Optional


class Scope(str, Enum):
    """Which engines may select themselves for a stimulus. A client says scope, never which engine or citizen."""

    PERSONAL = "personal"
    ORGANIZATIONAL = "organizational"
    ECOSYSTEM = "ecosystem"


class OriginType(str, Enum):
    """Where a stimulus comes from (the membrane limits how far self-caused chains travel)."""

    UI = "ui"
    EXTERNAL = "external"
    SELF_OBSERVATION = "self_observation"
    TOOL = "tool"


class EnvelopeError(ValueError):
    """An argument the envelope cannot carry; ``field`` names it (``features.trust``, ``content``, ...)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"invalid_field:{field}: {message}")
        self.field = field


_RANGES = {
    "novelty": (0.0, 1.0), "uncertainty": (0.0, 1.0), "trust": (0.0, 1.0), "urgency": (0.0, 1.0),
    "scale": (0.0, 1.0), "intensity": (0.0, 1.0), "valence": (-1.0, 1.0),
}


@dataclass(frozen=True)
class StimulusFeatures:
    """The features of SPEC §3. ``None`` leaves a feature to the plugin's absent value (0.5; intensity 1; valence 0;
    trust: no claim). Values are checked here, naming the field: a NaN or an out-of-range value fails at the call."""

    novelty: Optional[float] = None
    uncertainty: Optional[float] = None
    trust: Optional[float] = None
    urgency: Optional[float] = None
    scale: Optional[float] = None
    intensity: Optional[float] = None
    valence: Optional[float] = None

    def __post_init__(self):
        for f in fields(self):
            check_feature(f.name, getattr(self, f.name))

    def to_dict(self) -> Dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}


def check_feature(name: str, value) -> None:
    if value is None:
        return
    if name not in _RANGES:
        raise EnvelopeError(f"features.{name}", f"unknown feature; known: {', '.join(_RANGES)}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EnvelopeError(f"features.{name}", f"must be a number, got {type(value).__name__}")
    low, high = _RANGES[name]
    if not math.isfinite(value) or not low <= value <= high:
        raise EnvelopeError(f"features.{name}", f"must be in [{low:g}, {high:g}], got {value}")


@dataclass(frozen=True)
class StimulusKind:
    """A typed emitter's channel, origin and default features (the Java SDK's ``StimulusKind``)."""

    channel: str
    origin: OriginType
    features: StimulusFeatures


SCRIPT_ERROR = StimulusKind("script.error", OriginType.SELF_OBSERVATION,
                            StimulusFeatures(urgency=0.9, valence=-0.7, novelty=0.6, intensity=1.0))
METRIC = StimulusKind("metric", OriginType.SELF_OBSERVATION,
                      StimulusFeatures(novelty=0.1, urgency=0.3, intensity=0.5, uncertainty=0.2))
UI_ACTION = StimulusKind("ui.action", OriginType.UI, StimulusFeatures(urgency=0.6, valence=0.1, novelty=0.5, intensity=0.8))
TOOL_SUCCESS = StimulusKind("tool.result", OriginType.TOOL,
                            StimulusFeatures(urgency=0.3, valence=0.4, uncertainty=0.2, intensity=0.7))
TOOL_FAILURE = StimulusKind("tool.result", OriginType.TOOL,
                            StimulusFeatures(urgency=0.7, valence=-0.5, uncertainty=0.6, intensity=0.9))
