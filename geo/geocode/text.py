"""Text normalisation shared by every gazetteer: one function, so both sides of a lookup agree.

A name is normalised by Unicode compatibility decomposition (full-width letters become ASCII),
removal of accents (``São`` → ``sao``), lower case, a few letters that do not decompose
(``ß`` → ``ss``, ``ł`` → ``l``, ``ø`` → ``o``, ``æ`` → ``ae``), and every run of characters that
are neither letters nor digits collapsed to one space. Chinese, Cyrillic and other scripts are kept
as they are, so ``扬州`` still matches ``扬州``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "address_parts",
    "has_cjk",
    "normalise_arrow",
    "normalise_names",
    "normalise_text",
]

_UNDECOMPOSED: Final = (("ß", "ss"), ("ł", "l"), ("ø", "o"), ("æ", "ae"), ("œ", "oe"),
                        ("đ", "d"), ("ð", "d"), ("þ", "th"), ("ı", "i"))
_UNDECOMPOSED_RE: Final = "[" + "".join(letter for letter, _ in _UNDECOMPOSED) + "]"
_CJK: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PART_SPLIT: Final = re.compile(r"\s*(?:[,;\n\r/|]|\s-\s)\s*")


def _normalise_arrow(arr: pa.Array) -> pa.Array:
    """The normalisation rules on an Arrow string array (nulls stay null)."""
    arr = pc.utf8_normalize(arr, form="NFKD")
    arr = pc.replace_substring_regex(arr, pattern=r"\p{Mn}+", replacement="")
    arr = pc.utf8_lower(arr)
    special = pc.fill_null(pc.match_substring_regex(arr, pattern=_UNDECOMPOSED_RE), False)
    if pc.any(special).as_py():
        fixed = arr.filter(special)
        for letter, replacement in _UNDECOMPOSED:
            fixed = pc.replace_substring(fixed, pattern=letter, replacement=replacement)
        arr = pc.replace_with_mask(arr, special, fixed)
    arr = pc.replace_substring_regex(arr, pattern=r"[^\p{L}\p{N}]+", replacement=" ")
    return pc.utf8_trim_whitespace(arr)


def _to_arrow(values: Iterable[object]) -> pa.Array:
    if isinstance(values, pa.Array):
        return values
    items = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    items = items if isinstance(items, np.ndarray) else list(items)
    try:
        return pa.array(items, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                         else str(v) for v in items], type=pa.string())


def normalise_arrow(values: Iterable[object], *, dedupe: bool = True) -> pa.Array:
    """Normalised names as an Arrow string array, nulls as ``""`` (see :func:`normalise_names`).

    ``dedupe`` normalises each distinct value once (faster when values repeat, as city names do).
    """
    if not dedupe:
        return pc.fill_null(_normalise_arrow(_to_arrow(values)), "")
    encoded = pc.dictionary_encode(_to_arrow(values))
    normalised = _normalise_arrow(encoded.dictionary)
    return pc.fill_null(pc.take(normalised, encoded.indices), "")


def normalise_names(values: Iterable[object]) -> np.ndarray:
    """Normalise many names at once (see the module docstring for the rules).

    Parameters
    ----------
    values
        Any iterable of strings; ``None``/NaN become ``""``, other non-strings are converted
        with ``str`` first.

    Returns
    -------
    numpy.ndarray
        Object array of normalised strings, same length and order as ``values``.

    Examples
    --------
    >>> normalise_names(["São Paulo", " Bir-mingham ", None, "扬州市", "Straße"]).tolist()
    ['sao paulo', 'bir mingham', '', '扬州市', 'strasse']
    """
    return np.array(normalise_arrow(values).to_numpy(zero_copy_only=False), dtype=object)


def normalise_text(value: object) -> str:
    """Normalise one name (the scalar form of :func:`normalise_names`).

    Examples
    --------
    >>> normalise_text("ＫＯＴＫＡ  Port")
    'kotka port'
    """
    return str(normalise_names([value])[0])


def has_cjk(value: str) -> bool:
    """Whether a string contains Chinese (CJK unified) characters.

    Examples
    --------
    >>> has_cjk("江苏省扬州市"), has_cjk("Yangzhou")
    (True, False)
    """
    return bool(_CJK.search(value))


def address_parts(address: str) -> list[str]:
    """Split a free-text address into its parts (commas, semicolons, new lines, `` - ``).

    Examples
    --------
    >>> address_parts("Rua A, 12 - Centro, Ipatinga - MG; Brasil")
    ['Rua A', '12', 'Centro', 'Ipatinga', 'MG', 'Brasil']
    """
    return [p for p in _PART_SPLIT.split(address.strip()) if p]
