"""Every emitter's envelopes against the one JSON Schema in protocol/ (no copy of it here), and bad arguments
answered at the call with the field named."""
import math
import sys
from datetime import datetime

import jsonschema
import pytest

from membrane_stimuli import EnvelopeError, MembraneEmitter, OriginType, Scope, StimulusFeatures


@pytest.fixture
def emitter(tmp_path):
    # a bus that is never there: these tests read what was queued, before anything is sent
    e = MembraneEmitter("script:nightly-backup", bus_url="ws://127.0.0.1:9/none", spool_dir=tmp_path, flush_interval=60,
                        batch_size=1000, close_at_exit=False)
    yield e
    e.close(0.1)


def queued(e):
    return e._queue.poll(10_000)


def test_every_emitters_envelopes_match_the_protocol_schema(emitter, schema):
    emitter.emit(scope=Scope.ORGANIZATIONAL, channel="backup", content="nightly backup finished in 42 min",
                 features=StimulusFeatures(novelty=0.2, urgency=0.1, valence=0.5, trust=0.9), origin=OriginType.EXTERNAL,
                 provenance={"citizen_id": "ada", "host": "db-1"}, metadata={"run": 7})
    emitter.emit("personal", "ops", "disk almost full", target_nodes=["atlas:capacity"])
    try:
        int("x")
    except ValueError:
        emitter.emit_script_error(source="script:nightly-backup", error_message="backup failed: password=hunter2",
                                  scope=Scope.ORGANIZATIONAL, exc_info=sys.exc_info(), metadata={"api_key": "k", "attempt": 3})
    emitter.emit_metric(source="service:db", metric_name="backup.duration_s", value=2520.5, tags={"host": "db-1"})
    emitter.emit_ui_action(action_type="click", description="Save draft", citizen_id="iris", metadata={"page": "/docs"})
    emitter.emit_tool_result(tool_id="search", request_id="req-42", success=False, result="timeout after 30 s",
                             execution_time_ms=30_000, provenance={"agent": "planner"})
    envelopes = queued(emitter)
    assert len(envelopes) == 6
    validator = jsonschema.Draft202012Validator(schema)
    for e in envelopes:
        errors = sorted(validator.iter_errors(e), key=str)
        assert not errors, f"{e['channel']}: {[err.message for err in errors]}"
        datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))  # the date-time the schema names
    script_error = envelopes[2]
    assert "hunter2" not in script_error["content"] and "[REDACTED]" in script_error["content"]
    assert script_error["metadata"]["api_key"] == "[REDACTED]" and len(script_error["metadata"]["fingerprint"]) == 16
    assert script_error["metadata"]["exception"] == "ValueError"
    assert "Traceback (most recent call last)" in script_error["content"]
    ui = envelopes[4]
    assert ui["provenance"] == {"citizen_id": "iris"}, "citizen_id goes to provenance only"
    assert "citizen" not in str({k: v for k, v in ui.items() if k != "provenance"}), "and nowhere else: it never routes"
    assert envelopes[5]["source"] == "tool:search" and envelopes[5]["features"]["valence"] == -0.5


def test_ids_are_uuid_v7_and_increase(emitter):
    for i in range(200):
        emitter.emit("personal", "ops", f"event {i}")
    ids = [e["id"] for e in queued(emitter)]
    assert ids == sorted(ids) and len(set(ids)) == 200
    assert all(i[14] == "7" and i[19] in "89ab" for i in ids)


@pytest.mark.parametrize("call, field", [
    (lambda e: e.emit("everywhere", "ops", "x"), "scope"),
    (lambda e: e.emit("personal", "Ops!", "x"), "channel"),
    (lambda e: e.emit("personal", "ops", "x" * (64 * 1024 + 1)), "content"),
    (lambda e: e.emit("personal", "ops", "   "), "content"),
    (lambda e: e.emit("personal", "ops", "x", features=StimulusFeatures(trust=1.5)), "features.trust"),
    (lambda e: e.emit("personal", "ops", "x", features={"urgency": math.nan}), "features.urgency"),
    (lambda e: e.emit("personal", "ops", "x", features={"loudness": 0.5}), "features.loudness"),
    (lambda e: e.emit("personal", "ops", "x", origin="rumour"), "origin"),
    (lambda e: e.emit("personal", "ops", "x", metadata={"v": math.inf}), "metadata"),
    (lambda e: e.emit("personal", "ops", "x", provenance={"blob": "y" * 20_000}), "provenance"),
    (lambda e: e.emit_metric(source="service:db", metric_name="m", value=math.nan), "metadata.value"),
    (lambda e: e.emit_script_error(source="nightly", error_message="x"), "source"),
])
def test_bad_arguments_fail_at_the_call_naming_the_field(emitter, call, field):
    with pytest.raises(EnvelopeError) as err:
        call(emitter)
    assert err.value.field == field
    assert str(err.value).startswith(f"invalid_field:{field}: ")
    assert queued(emitter) == [], "nothing of a bad call is queued"


def test_features_validate_on_construction():
    with pytest.raises(EnvelopeError, match="features.valence"):
        StimulusFeatures(valence=-1.5)
    with pytest.raises(EnvelopeError, match="features.novelty"):
        StimulusFeatures(novelty=True)
    assert StimulusFeatures(novelty=0, valence=-1).to_dict() == {"novelty": 0.0, "valence": -1.0}


def test_a_source_that_is_not_kind_colon_name_is_refused_at_construction(tmp_path):
    with pytest.raises(EnvelopeError, match="source_id"):
        MembraneEmitter("nightly-backup", spool_dir=tmp_path, close_at_exit=False)
