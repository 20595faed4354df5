"""Script errors as the Java SDK reports them (SPEC §12): stack fingerprint, trace truncation, secret redaction and
the dedupe key — the same rules, so one error reported from Java and from Python is recognisable as the same kind.
The redaction shapes and the dedupe keys are checked against the cases both SDKs share
(``sdk/src/test/resources/dev/membrane/sdk/sdk-cases.json``)."""
from __future__ import annotations

import hashlib
import re
import traceback
from types import TracebackType
from typing import Any, Optional, Tuple, Type

#: Frames that define a fingerprint.
FINGERPRINT_FRAMES = 5
#: Lines of a trace kept, then UTF-8 bytes kept (marker included).
TRACE_MAX_LINES = 60
TRACE_MAX_BYTES = 16 * 1024
#: What a removed secret is replaced with.
MARK = "[REDACTED]"
#: Hex words at least this long (and holding a digit) are ids, not words: "9fceb02" yes, "decade" no.
MIN_HEX_WORD = 6

ExcInfo = Tuple[Optional[Type[BaseException]], Optional[BaseException], Optional[TracebackType]]


def sha256_hex(text: str, hex_chars: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:hex_chars]


# --- fingerprint ---------------------------------------------------------------------------------------------------

def innermost(exc: BaseException) -> BaseException:
    """The root cause: ``raise ... from`` (``__cause__``), else the exception being handled (``__context__``)."""
    seen = {id(exc)}
    while True:
        nxt = exc.__cause__ if exc.__cause__ is not None else (None if exc.__suppress_context__ else exc.__context__)
        if nxt is None or id(nxt) in seen:
            return exc
        seen.add(id(nxt))
        exc = nxt


def type_name(t: type) -> str:
    """An exception type as the trace prints it: ``ValueError``, ``mypkg.errors.JobFailed``."""
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def fingerprint(exc: BaseException) -> str:
    """16 hex characters: the hash of the innermost cause's type and its top five frames (most recent first), each
    ``module#function``. Line numbers, file names and messages are left out on purpose, so an edit that moves code or
    a different message keeps the fingerprint; a different call path changes it."""
    root = innermost(exc)
    frames = traceback.extract_tb(root.__traceback__) if root.__traceback__ else []
    key = [type_name(type(root))]
    tb = root.__traceback__
    modules = []
    while tb is not None:
        modules.append(tb.tb_frame.f_globals.get("__name__", "?"))
        tb = tb.tb_next
    for frame, module in list(zip(frames, modules))[::-1][:FINGERPRINT_FRAMES]:
        key.append(f"{module}#{frame.name}")
    return sha256_hex("|".join(key), 16)


# --- trace text ----------------------------------------------------------------------------------------------------

def trace_text(exc: BaseException) -> str:
    """The trace as sent: at most 60 lines, then at most 16 KiB of UTF-8, with a marker saying what was cut."""
    return truncate_trace("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def truncate_trace(trace: str) -> str:
    lines = re.split(r"\r?\n", trace)
    while lines and lines[-1] == "":
        lines.pop()
    kept = lines[:TRACE_MAX_LINES]
    text = "".join(line + "\n" for line in kept)
    if len(lines) > len(kept):
        text += f"\t... trace cut at {TRACE_MAX_LINES} lines\n"
    data = text.encode("utf-8")
    if len(data) <= TRACE_MAX_BYTES:
        return text
    cut = f"\t... cut at {TRACE_MAX_BYTES} bytes\n"
    room = TRACE_MAX_BYTES - len(cut.encode("utf-8"))
    while room > 0 and (data[room] & 0xC0) == 0x80:  # never half a multi-byte character
        room -= 1
    return data[:room].decode("utf-8") + cut


# --- redaction (the Java SDK's SecretRedactor, rule for rule) ----------------------------------------------------------

_SECRET_WORD = re.compile(r"(?i)token|api[_-]?key|apikey|password|passwd|pwd|secret")
_PRIVATE_KEY = re.compile(r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|\Z)")
_AUTHORIZATION = re.compile(r"(?i)(authorization\s*[:=]\s*\"?(?:bearer|basic|token)\s+)[^\s\"',;]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}")
_URL_CREDENTIALS = re.compile(r"(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^/\s:@\"']+:[^/\s@\"']*@")
_JSON_PAIR = re.compile(r"(\"([^\"\\]{1,128})\"\s*:\s*)(\"(?:[^\"\\]|\\.)*\"|[^,}\]\s\"]+)")
# only keys that name a secret: a pattern taking any key consumed "failed: password=hunter2" as key "failed"
_KEY_VALUE = re.compile(r"(?i)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*?(?:token|api[_-]?key|apikey|password|passwd|pwd|secret)"
                        r"[A-Za-z0-9_.-]*)(\s*[=:]\s*)([^\s&,;\"'\[][^\s&,;\"']*)")
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b")
_AWS_PREFIXES = ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA")
_SECRET_HINTS = ("token", "key", "pass", "pwd", "secret")


def redact(text: Optional[str]) -> Optional[str]:
    """Removes secrets (private key blocks, Authorization/Bearer values, credentials in URLs, secret-named JSON values
    and key=value pairs, AWS-style key ids); each becomes ``[REDACTED]`` — replaced, not masked."""
    if not text:
        return text
    lower = text.lower()
    out = text
    if "PRIVATE KEY-----" in out:
        out = _PRIVATE_KEY.sub(MARK, out)
    if "authorization" in lower:
        out = _AUTHORIZATION.sub(lambda m: m.group(1) + MARK, out)
    if "bearer" in lower:
        out = _BEARER.sub(lambda m: m.group(1) + MARK, out)
    if "://" in out:
        out = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MARK + "@", out)
    if any(h in lower for h in _SECRET_HINTS):
        out = _JSON_PAIR.sub(lambda m: m.group(1) + '"' + MARK + '"' if _SECRET_WORD.search(m.group(2)) else m.group(0), out)
        out = _KEY_VALUE.sub(lambda m: m.group(1) + m.group(2) + MARK if m.group(3) != MARK else m.group(0), out)
    if any(p in out for p in _AWS_PREFIXES):
        out = _AWS_KEY_ID.sub(MARK, out)
    return out


def redact_map(value: Any) -> Any:
    """Redacts every string inside a free-form map; a value under a secret-named key is removed whole."""
    if isinstance(value, dict):
        return {k: MARK if _SECRET_WORD.search(str(k)) else redact_map(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_map(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


# --- dedupe key ----------------------------------------------------------------------------------------------------

# Java's Character.isWhitespace: the space separators other than the non-breaking ones (U+00A0, U+2007, U+202F),
# the line and paragraph separators, and these ASCII controls.
_WS_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
             "\u2028\u2029\u205f\u3000")
_WHITESPACE = re.compile("[" + re.escape(_WS_CHARS) + "]+")
# An ASCII alphanumeric run, or a UUID starting where a run would (the Java loop tests for a UUID at each run's start).
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9])"
                    r"|[A-Za-z0-9]+")
_HEX_RUN = re.compile(r"[0-9a-fA-F]+")
_DIGITS = re.compile(r"[0-9]+")


def _token(m: "re.Match") -> str:
    run = m.group(0)
    if len(run) == 36 and "-" in run:
        return "<hex>"
    if len(run) > 2 and run[0] == "0" and run[1] in "xX" and _HEX_RUN.fullmatch(run, 2):
        return "<hex>"
    if len(run) >= MIN_HEX_WORD and _HEX_RUN.fullmatch(run) and _DIGITS.search(run):
        return "<hex>"
    return _DIGITS.sub("#", run)


def normalise(content: str) -> str:
    """UUIDs, ``0x`` hex and hex words (6+ characters with a digit) → ``<hex>``; other digit runs → ``#``; whitespace
    runs → one space; trimmed. The Java SDK's ``DedupeKey.normalise``, with regular expressions instead of its
    character loop (it runs on the caller's thread: ~4× faster in CPython); the shared cases check they agree."""
    return _WHITESPACE.sub(" ", _TOKEN.sub(_token, content)).strip(_WS_CHARS)


def dedupe_key(source: str, content: str, fingerprint_value: Optional[str]) -> str:
    """``dk:`` + hash(source | normalised content | fingerprint): equal keys from one source within the plugin's dedupe
    window integrate once."""
    return "dk:" + sha256_hex(f"{source}|{normalise(content)}|{fingerprint_value or ''}", 32)
