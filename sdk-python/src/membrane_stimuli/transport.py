"""One WebSocket connection to the bus (SPEC §11): frames are JSON arrays of envelopes, acks come back one per
envelope, matched by id. Status set: ``accepted | duplicate | rejected | spooled`` are final; ``retry`` asks for a
re-send later."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Dict, List, Optional

import websocket  # websocket-client

FINAL = frozenset({"accepted", "duplicate", "rejected", "spooled"})
RETRY = "retry"


@dataclass(frozen=True)
class Ack:
    id: str
    status: str
    reason: Optional[str] = None

    @property
    def final(self) -> bool:
        return self.status in FINAL


class BusError(IOError):
    pass


class BusConnection:
    def __init__(self, ws: "websocket.WebSocket"):
        self._ws = ws

    @classmethod
    def open(cls, url: str, token: Optional[str], timeout: float) -> "BusConnection":
        headers = [f"Authorization: Bearer {token}"] if token else []
        try:
            ws = websocket.create_connection(url, timeout=timeout, header=headers, enable_multithread=False)
        except Exception as e:  # refused, timed out, 401, DNS: all mean "not now"
            raise BusError(f"cannot connect to {url}: {e}") from e
        return cls(ws)

    @property
    def connected(self) -> bool:
        return bool(self._ws.connected)

    def send(self, ids: List[str], frame: str, timeout: float) -> Dict[str, Ack]:
        """Sends one frame; returns the acks that came within ``timeout`` (fewer than ``ids`` when some did not)."""
        wanted = set(ids)
        acks: Dict[str, Ack] = {}
        try:
            self._ws.send(frame)
            deadline = time.monotonic() + timeout
            while wanted - acks.keys():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._ws.settimeout(left)
                try:
                    text = self._ws.recv()
                except websocket.WebSocketTimeoutException:
                    break
                if not text:
                    raise BusError("the bus closed the connection")
                message = json.loads(text)
                if isinstance(message, dict) and message.get("type") == "ack" and message.get("id") in wanted:
                    acks[message["id"]] = Ack(message["id"], str(message.get("status")), message.get("reason"))
                elif isinstance(message, dict) and message.get("type") == "error":
                    raise BusError(f"the bus refused the frame: {message.get('reason')}")
        except (websocket.WebSocketException, OSError, ValueError) as e:
            self.close()
            raise BusError(f"connection lost: {e}") from e
        return acks

    def close(self) -> None:
        try:
            self._ws.close(timeout=0.5)
        except Exception:
            pass
