"""Helpers of the page benchmarks: figures of repeated runs, and what a map costs the browser.

- :func:`stats` — median, min and max of repeated timings (:class:`Stats`);
- :func:`folium_args` / :func:`map_payload_bytes` — the arguments ``st_folium`` sends for a
  folium map (its script, header and HTML) and their size, computed without a running app;
- :func:`component_bytes` — the size of a rendered map component's arguments as Streamlit sent
  them (an AppTest element's ``json_args``);
- :func:`classify_frames` — the websocket frames a browser received, decoded as Streamlit
  ``ForwardMsg`` s, split into the map's messages and the rest;
- :func:`rerun_bytes` — the bytes a browser received during one rerun: websocket frames plus
  HTTP responses, the map's share apart.

Every helper works on plain values, so ``tests/benchmarks/test_payload.py`` checks it on
hand-made cases.
"""

from __future__ import annotations

import base64
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

MAP_COMPONENT: Final = "streamlit_folium.st_folium"
"""Streamlit's name of the map component (streamlit-folium)."""
MAP_URL_PARTS: Final = ("/component/streamlit_folium", "/app/static/")
"""URL parts of what a map's frame loads: the component page and script, Leaflet, base maps."""

__all__ = ["MAP_COMPONENT", "FrameBytes", "RerunBytes", "Stats", "classify_frames",
           "component_bytes", "folium_args", "map_payload_bytes", "rerun_bytes", "stats"]


@dataclass(frozen=True)
class Stats:
    """Median, min and max of ``n`` repeated measurements (seconds or bytes)."""

    median: float
    lo: float
    hi: float
    n: int

    def fmt(self, digits: int = 2) -> str:
        """``median (min–max, n=…)``, e.g. ``0.12 (0.10–0.15, n=3)``."""
        if self.n == 0:
            return "—"
        return (f"{self.median:.{digits}f} ({self.lo:.{digits}f}–{self.hi:.{digits}f}, "
                f"n={self.n})")


def stats(values: Iterable[float]) -> Stats:
    """:class:`Stats` of ``values`` (NaN for all three when there are none).

    Examples
    --------
    >>> stats([0.3, 0.1, 0.2])
    Stats(median=0.2, lo=0.1, hi=0.3, n=3)
    """
    vals = [float(v) for v in values]
    if not vals:
        nan = float("nan")
        return Stats(nan, nan, nan, 0)
    return Stats(float(statistics.median(vals)), min(vals), max(vals), len(vals))


def folium_args(m: Any) -> dict[str, Any]:
    """The arguments ``ui.show_map`` (``st_folium(m, returned_objects=[], render=False)``)
    sends to the browser for map ``m``.

    Built as streamlit-folium 0.27 builds them (the map's Leaflet script, page header and
    HTML, and its script and style links), without a running app. The map is rendered in the
    process; don't reuse it afterwards.
    """
    import streamlit_folium as sf

    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css = list(dict.fromkeys(href for _, href in getattr(m, "default_css", [])))
    js = list(dict.fromkeys(src for _, src in getattr(m, "default_js", [])))
    return {"script": script, "header": header, "html": html, "id": sf.get_full_id(m),
            "key": sf.generate_js_hash(script, None, False), "height": 520, "width": None,
            "returned_objects": [], "default": {}, "zoom": None, "center": None,
            "feature_group": None, "return_on_hover": False, "layer_control": None,
            "pixelated": False, "css_links": css, "js_links": js, "wrap_longitude": False}


def map_payload_bytes(m: Any) -> int:
    """Bytes of the JSON arguments of :func:`folium_args` (UTF-8), what a rerun sends for ``m``."""
    return component_bytes(json.dumps(folium_args(m)))


def component_bytes(json_args: str, special_args: Sequence[bytes] = ()) -> int:
    """UTF-8 bytes of a component's JSON arguments plus any binary arguments.

    Examples
    --------
    >>> component_bytes('{"a": "é"}'), component_bytes("{}", [b"xyz"])
    (11, 5)
    """
    return len(json_args.encode()) + sum(len(b) for b in special_args)


@dataclass(frozen=True)
class FrameBytes:
    """Websocket bytes received, split into the map's messages and all the others."""

    map_bytes: int = 0
    other_bytes: int = 0
    map_messages: int = 0
    messages: int = 0

    @property
    def total(self) -> int:
        """All websocket bytes."""
        return self.map_bytes + self.other_bytes


def _frame_payload(frame: Mapping[str, Any]) -> bytes:
    """A CDP ``WebSocketFrame``'s payload: base64 for binary frames (opcode 2), else text."""
    data = str(frame.get("payloadData", ""))
    return base64.b64decode(data) if int(frame.get("opcode", 1)) == 2 else data.encode()


def classify_frames(frames: Iterable[Mapping[str, Any]], *,
                    component: str = MAP_COMPONENT) -> FrameBytes:
    """Split received websocket frames (CDP ``Network.webSocketFrameReceived`` ``response``
    dicts) into the map component's messages and the others, by decoding each as a Streamlit
    ``ForwardMsg``. A frame that is not a ``ForwardMsg`` counts as other bytes. A message the
    browser already holds arrives as a small reference (``ref_hash``), counted as other."""
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    map_b = other_b = map_n = n = 0
    for frame in frames:
        data = _frame_payload(frame)
        n += 1
        msg = ForwardMsg()
        try:
            msg.ParseFromString(data)
        except DecodeError:
            other_b += len(data)
            continue
        el = msg.delta.new_element if msg.WhichOneof("type") == "delta" else None
        if (el is not None and el.WhichOneof("type") == "component_instance"
                and el.component_instance.component_name == component):
            map_b += len(data)
            map_n += 1
        else:
            other_b += len(data)
    return FrameBytes(map_b, other_b, map_n, n)


@dataclass(frozen=True)
class RerunBytes:
    """What the browser received during one rerun.

    ``map_bytes`` are the map component's websocket messages plus the HTTP responses of the
    map's frame (its page and script, Leaflet, the base map file: nothing once cached);
    ``total_bytes`` everything (all websocket frames and HTTP responses).
    """

    ws: FrameBytes
    http_map_bytes: int = 0
    http_other_bytes: int = 0
    http_by_url: dict[str, int] = field(default_factory=dict)

    @property
    def map_bytes(self) -> int:
        """The map's share: its websocket messages and its frame's HTTP responses."""
        return self.ws.map_bytes + self.http_map_bytes

    @property
    def total_bytes(self) -> int:
        """Everything received in the rerun."""
        return self.ws.total + self.http_map_bytes + self.http_other_bytes


def rerun_bytes(frames: Iterable[Mapping[str, Any]],
                responses: Iterable[tuple[str, int]]) -> RerunBytes:
    """:class:`RerunBytes` from websocket frames and HTTP responses (URL, bytes on the wire,
    i.e. CDP ``Network.loadingFinished.encodedDataLength``: 0 for a cached response).

    Examples
    --------
    >>> r = rerun_bytes([], [("http://h/app/static/basemaps/a.geojson", 9000),
    ...                      ("http://h/_stcore/health", 2)])
    >>> r.map_bytes, r.total_bytes
    (9000, 9002)
    """
    http_map = http_other = 0
    by_url: dict[str, int] = {}
    for url, size in responses:
        by_url[url] = by_url.get(url, 0) + int(size)
        if any(part in url for part in MAP_URL_PARTS):
            http_map += int(size)
        else:
            http_other += int(size)
    return RerunBytes(classify_frames(frames), http_map, http_other, by_url)
