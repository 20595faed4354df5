"""The cases the Java SDK passes too (sdk-cases.json): the same redaction and the same dedupe keys in both SDKs."""
from membrane_stimuli import errors


def test_each_secret_shape_is_removed_and_its_context_kept(shared_cases):
    for case in shared_cases["redaction"]:
        out = errors.redact(case["text"])
        assert case["secret"] not in out, (case["shape"], out)
        assert case["kept"] in out, (case["shape"], out)
        assert errors.MARK in out, (case["shape"], out)


def test_ordinary_text_is_untouched(shared_cases):
    for text in shared_cases["untouched"]:
        assert errors.redact(text) == text


def test_dedupe_keys_equal_the_java_sdks(shared_cases):
    for case in shared_cases["dedupe"]:
        assert errors.normalise(case["content"]) == case["normalised"]
        assert errors.dedupe_key(case["source"], case["content"], case["fingerprint"]) == case["key"], case["content"]
    for case in shared_cases["normalise"]:
        assert errors.normalise(case["content"]) == case["normalised"]


def test_maps_are_redacted_by_key_and_by_value():
    out = errors.redact_map({"apiKey": 12345, "note": "Bearer abcdefghijkl1234",
                             "nested": {"password": "x", "host": "db-1"}, "list": ["token=abc123"]})
    assert out["apiKey"] == errors.MARK
    assert "abcdefghijkl1234" not in out["note"]
    assert out["nested"] == {"password": errors.MARK, "host": "db-1"}
    assert out["list"] == ["token=" + errors.MARK]
