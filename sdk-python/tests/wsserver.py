"""Stand-in buses for behaviour the real bridge cannot be made to show on demand: ``AckingBus``, a small WebSocket
server (RFC 6455, text frames, stdlib only) answering each envelope with the ack a test scripts (a full relay queue:
``retry``), and ``SilentBus``, which accepts connections and never answers."""
from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
from typing import Callable, List

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class AckingBus:
    def __init__(self, status_for: Callable[[str, int], str]):
        """``status_for(id, times_seen)`` gives the status of each envelope's ack."""
        self.status_for = status_for
        self.seen: dict = {}
        self.frames: List[List[str]] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/api/ws"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket):
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            key = next(line.split(b":", 1)[1].strip() for line in request.split(b"\r\n")
                       if line.lower().startswith(b"sec-websocket-key:"))
            accept = base64.b64encode(hashlib.sha1(key + GUID.encode()).digest()).decode()
            conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            while True:
                opcode, payload = self._read_frame(conn)
                if opcode == 8:
                    return
                if opcode != 1:
                    continue
                envelopes = json.loads(payload)
                envelopes = envelopes if isinstance(envelopes, list) else [envelopes]
                self.frames.append([e["id"] for e in envelopes])
                for e in envelopes:
                    n = self.seen[e["id"]] = self.seen.get(e["id"], 0) + 1
                    status = self.status_for(e["id"], n)
                    ack = {"type": "ack", "id": e["id"], "status": status}
                    if status == "retry":
                        ack["reason"] = "queue_full"
                    self._send(conn, json.dumps(ack))
        except (OSError, ValueError, StopIteration):
            return
        finally:
            conn.close()

    @staticmethod
    def _exact(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _read_frame(self, conn):
        b1, b2 = self._exact(conn, 2)
        length = b2 & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._exact(conn, 2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._exact(conn, 8))[0]
        mask = self._exact(conn, 4) if b2 & 0x80 else b"\0\0\0\0"
        data = self._exact(conn, length)
        return b1 & 0x0F, bytes(c ^ mask[i % 4] for i, c in enumerate(data)).decode("utf-8")

    @staticmethod
    def _send(conn, text):
        data = text.encode("utf-8")
        header = bytes([0x81]) + (bytes([len(data)]) if len(data) < 126 else bytes([126]) + struct.pack(">H", len(data)))
        conn.sendall(header + data)

    def close(self):
        self.sock.close()


class SilentBus:
    """A TCP server that accepts connections and never answers (not even the WebSocket handshake)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()
