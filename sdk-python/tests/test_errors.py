"""Script errors: the stack fingerprint (top five frames, module + function, no line numbers) and the trace bounds."""
import sys

from membrane_stimuli import errors


def fail_in_parse(text):
    return int(text)  # ValueError raised here


def load(text, twice=False):
    if twice:
        return fail_in_parse(text)
    return fail_in_parse(text)  # a different line, the same call path


def other_path(text):
    return fail_in_parse(text)


def caught(fn, *args, **kw):
    try:
        fn(*args, **kw)
    except Exception as e:
        return e
    raise AssertionError("did not raise")


def test_the_fingerprint_ignores_lines_and_messages_but_not_the_call_path():
    a = errors.fingerprint(caught(load, "x"))
    b = errors.fingerprint(caught(load, "y", twice=True))
    assert a == b and len(a) == 16
    assert errors.fingerprint(caught(other_path, "x")) != a


def test_the_fingerprint_is_of_the_innermost_cause():
    def wrap():
        try:
            load("x")
        except ValueError as e:
            raise RuntimeError("job failed") from e

    def wrap_implicitly():
        try:
            load("x")
        except ValueError:
            raise KeyError("while handling")

    explicit, implicit = caught(wrap), caught(wrap_implicitly)
    assert errors.fingerprint(explicit) == errors.fingerprint(explicit.__cause__)
    assert errors.fingerprint(implicit) == errors.fingerprint(implicit.__context__)
    explicit.__cause__ = None
    explicit.__suppress_context__ = True
    assert errors.fingerprint(explicit) != errors.fingerprint(implicit.__context__), "the outer error alone is another kind"


def test_traces_are_cut_at_sixty_lines_then_sixteen_kib():
    scope = {}
    # 80 distinct functions calling each other: Python folds repeated frames, distinct ones fill the trace
    exec("\n".join([f"def f{i}():\n    return f{i + 1}()" for i in range(80)] + ["def f80():\n    return int('x')"]), scope)
    text = errors.trace_text(caught(scope["f0"]))
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == errors.TRACE_MAX_LINES + 1 and lines[-1] == "\t... trace cut at 60 lines"
    wide = "é" * 400  # two bytes each: 60 lines of this pass 16 KiB
    cut = errors.truncate_trace("\n".join(wide for _ in range(60)))
    assert len(cut.encode("utf-8")) <= errors.TRACE_MAX_BYTES
    assert cut.endswith("\t... cut at 16384 bytes\n")
    cut.encode("utf-8").decode("utf-8")  # no half character


def test_exc_info_from_sys_is_accepted(tmp_path):
    from membrane_stimuli import MembraneEmitter
    e = MembraneEmitter("script:t", bus_url="ws://127.0.0.1:9/none", spool_dir=tmp_path, close_at_exit=False)
    try:
        try:
            load("x")
        except ValueError:
            ident = e.emit_script_error(source="script:nightly", error_message="parse failed", exc_info=sys.exc_info())
        assert ident
    finally:
        e.close(0.1)
