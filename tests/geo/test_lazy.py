"""geo.lazy.cached_property: computed once per instance, and one instance's slow first
computation never holds up another instance (Python 3.11's functools version did)."""

from __future__ import annotations

import threading

import pytest

from geo.lazy import cached_property


class Context:
    """Stands for a session's page context whose property may take seconds to compute."""

    def __init__(self, name: str, gate: threading.Event | None = None) -> None:
        self.name, self.gate, self.calls = name, gate, 0

    @cached_property
    def release(self) -> str:
        self.calls += 1
        if self.gate is not None:
            assert self.gate.wait(10), "the slow computation was never let go"
        return f"release of {self.name}"


def test_a_slow_first_computation_does_not_block_another_instance() -> None:
    """While one session's property waits, another session's own property is computed."""
    gate = threading.Event()
    slow, fast = Context("slow", gate), Context("fast")
    worker = threading.Thread(target=lambda: slow.release)
    worker.start()
    try:
        done = threading.Event()
        reader = threading.Thread(target=lambda: (fast.release, done.set()))
        reader.start()
        assert done.wait(2), "the other instance waited for the slow one's computation"
    finally:
        gate.set()
        worker.join(10)
    assert slow.release == "release of slow" and fast.release == "release of fast"


def test_the_value_is_computed_once_and_kept_per_instance() -> None:
    one, two = Context("one"), Context("two")
    assert (one.release, one.release, two.release) == (
        "release of one", "release of one", "release of two")
    assert one.calls == 1 and two.calls == 1
    assert Context.release.__doc__ is None or isinstance(Context.release, cached_property)


def test_one_property_under_two_names_is_refused() -> None:
    prop: cached_property[object, int] = cached_property(lambda self: 1)
    prop.__set_name__(object, "a")
    with pytest.raises(TypeError, match="two different names"):
        prop.__set_name__(object, "b")
