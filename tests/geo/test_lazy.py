"""geo.lazy.cached_property: computed once per instance, and one instance's slow first
computation never holds up another instance (Python 3.11's functools version did)."""

from __future__ import annotations

import threading
import time

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


def test_a_memo_computes_each_key_once_for_many_threads() -> None:
    """Sixteen threads asking for one new key at once: one computation, one value for all;
    a failure is not kept; the oldest keys go beyond ``max_entries``."""
    from geo.lazy import Memo

    memo = Memo(max_entries=2)
    calls: list[str] = []
    gate = threading.Event()

    def slow() -> object:
        calls.append("x")
        gate.wait(5)
        return object()

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("k", slow)))
               for _ in range(16)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert calls == ["x"] and len(results) == 16 and len({id(r) for r in results}) == 1

    def fail() -> object:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        memo.get("bad", fail)
    assert memo.get("bad", lambda: 1) == 1  # computed again, not the failure
    memo.get("third", lambda: 3)
    assert memo.get("k", lambda: "again") == "again"  # dropped: the newest two were kept
