"""``cached_property`` without the lock that Python 3.11's holds across every instance.

Python 3.8–3.11's :func:`functools.cached_property` computes the value under one lock per
*property*, shared by every instance of the class. On a server each session has its own
objects (a page's context, a selection), yet while one session computed ``ctx.release`` —
seconds, after an import — every other session reading ``release`` of *its own* context waited
for that lock: a sampling of the app under twenty sessions found the reruns' threads idle in
``cached_property.__get__`` a third of the time. Python 3.12 removed the lock (see the note in
the :mod:`functools` documentation); this is that behaviour on 3.11: the value is computed on
first access and stored in the instance's ``__dict__``, and two threads reading the same new
attribute of the *same* object at the same moment may both compute it (the values are equal;
the last one stays).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["Memo", "cached_property"]

T = TypeVar("T")
R = TypeVar("R")
_MISSING = object()


class cached_property(Generic[T, R]):  # noqa: N801 - a drop-in for functools.cached_property
    """A property computed once per instance and then read from its ``__dict__``.

    Examples
    --------
    >>> class Box:
    ...     calls = 0
    ...     @cached_property
    ...     def value(self) -> int:
    ...         Box.calls += 1
    ...         return 42
    >>> b = Box()
    >>> (b.value, b.value, Box.calls)
    (42, 42, 1)
    """

    def __init__(self, func: Callable[[T], R]) -> None:
        self.func = func
        self.attrname: str | None = None
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if self.attrname is not None and name != self.attrname:
            msg = (f"Cannot assign the same cached_property to two different names "
                   f"({self.attrname!r} and {name!r}).")
            raise TypeError(msg)
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> cached_property[T, R]:
        ...

    @overload
    def __get__(self, instance: T, owner: type[Any] | None = None) -> R:
        ...

    def __get__(self, instance: T | None, owner: type[Any] | None = None) -> Any:
        if instance is None:
            return self
        if self.attrname is None:
            msg = "Cannot use cached_property instance without calling __set_name__ on it."
            raise TypeError(msg)
        cache: dict[str, Any] = instance.__dict__
        value = cache.get(self.attrname, _MISSING)
        if value is _MISSING:
            value = self.func(instance)
            cache[self.attrname] = value
        return value


class Memo:
    """Values computed once per key and kept (the newest ``max_entries``), for several threads.

    For what every session derives alike from one shared object (a programme's protected
    release): twenty viewers choosing the same streams compute the heat map once. A key is
    computed by one thread while the others asking for it wait for that value; different keys
    are computed at once. An exception is raised to the thread that computed, and the next
    request computes again (nothing of a failure is kept).

    Examples
    --------
    >>> calls = []
    >>> memo = Memo(max_entries=2)
    >>> [memo.get(k, lambda k=k: calls.append(k) or k * 2) for k in (1, 1, 2, 3, 1)]
    [2, 2, 4, 6, 2]
    >>> calls  # 1 computed again: the newest two (2 and 3) were kept
    [1, 2, 3, 1]
    """

    def __init__(self, *, max_entries: int = 128) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[object, threading.Lock] = {}

    def get(self, key: object, compute: Callable[[], R]) -> R:
        """The value of ``key``, computed with ``compute()`` if it is not kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:  # computed by the thread we waited for
                    return self._values[key]  # type: ignore[return-value]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:  # kept before its lock goes: a later caller finds the value
                self._values[key] = value
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def __len__(self) -> int:
        return len(self._values)

    def __getstate__(self) -> dict[str, object]:  # a copy starts empty: locks do not pickle
        return {"max_entries": self.max_entries}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(max_entries=int(state["max_entries"]))  # type: ignore[misc,call-overload]
