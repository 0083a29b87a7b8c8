"""Tests of the page benchmarks' payload helpers (benchmarks/payload.py) on hand-made cases."""

from __future__ import annotations

import base64

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from benchmarks.payload import (
    MAP_COMPONENT,
    classify_frames,
    component_bytes,
    map_payload_bytes,
    rerun_bytes,
    stats,
)


def _frame(msg: ForwardMsg) -> dict[str, object]:
    """A CDP websocket frame as Chromium reports a binary message (base64, opcode 2)."""
    return {"opcode": 2, "payloadData": base64.b64encode(msg.SerializeToString()).decode()}


def _component(name: str, json_args: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.component_instance.component_name = name
    msg.delta.new_element.component_instance.json_args = json_args
    return msg


def test_stats_are_median_min_max_and_count() -> None:
    """Median of an even count is the mean of the middle two; none gives n=0 and a dash."""
    assert stats([4.0, 1.0, 3.0, 2.0]) == stats([2.5]).__class__(2.5, 1.0, 4.0, 4)
    assert stats([0.5, 0.7, 0.6]).fmt() == "0.60 (0.50–0.70, n=3)"
    assert stats([]).n == 0 and stats([]).fmt() == "—"


def test_component_bytes_count_utf8_and_binary_arguments() -> None:
    """'é' is two bytes in UTF-8; binary arguments add their length."""
    assert component_bytes('{"a": "é"}') == 11
    assert component_bytes("{}", [b"xyz", b"12"]) == 7


def test_frames_are_split_into_the_map_and_the_rest() -> None:
    """A map message counts whole (its serialized size) as map bytes; another component, a
    markdown delta, a reference to a cached message and a text frame count as other bytes."""
    the_map = _component(MAP_COMPONENT, '{"script": "' + "x" * 1000 + '"}')
    other = _component("some.other_component", "{}")
    text = ForwardMsg()
    text.delta.new_element.markdown.body = "hello"
    ref = ForwardMsg()
    ref.ref_hash = "abc"
    frames = [_frame(the_map), _frame(other), _frame(text), _frame(ref),
              {"opcode": 1, "payloadData": "ping"}]
    out = classify_frames(frames)
    assert out.map_bytes == len(the_map.SerializeToString()) > 1000
    assert out.map_messages == 1 and out.messages == 5
    assert out.other_bytes == (len(other.SerializeToString()) + len(text.SerializeToString())
                               + len(ref.SerializeToString()) + 4)


def test_rerun_bytes_put_the_map_frame_requests_with_the_map() -> None:
    """The component page, Leaflet and the base map file are the map's; a cached response
    (0 bytes on the wire) adds nothing; other requests are the page's."""
    the_map = _component(MAP_COMPONENT, "{}")
    responses = [
        ("http://127.0.0.1:1/component/streamlit_folium.st_folium/index.html", 800),
        ("http://127.0.0.1:1/app/static/vendor/leaflet/leaflet.js", 0),
        ("http://127.0.0.1:1/app/static/basemaps/0123.geojson", 9000),
        ("http://127.0.0.1:1/media/abc.png", 300),
    ]
    out = rerun_bytes([_frame(the_map)], responses)
    assert out.http_map_bytes == 9800 and out.http_other_bytes == 300
    assert out.map_bytes == 9800 + len(the_map.SerializeToString())
    assert out.total_bytes == out.map_bytes + 300
    assert out.http_by_url["http://127.0.0.1:1/media/abc.png"] == 300


def _map_app() -> None:
    import folium
    from streamlit_folium import st_folium

    m = folium.Map(location=[60.5, 26.9], zoom_start=12, tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                         "coordinates": [26.9, 60.5]}}]},
                   ).add_to(m)
    st_folium(m, key="m", height=520, width=None, returned_objects=[])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_map_payload_matches_what_streamlit_sends() -> None:
    """The offline estimate of a map's arguments is within a few bytes of the JSON arguments
    Streamlit puts in the page for the same map (ids are random, their length is not)."""
    import folium

    at = AppTest.from_function(_map_app).run()
    sent = at.get("component_instance")[0].proto
    assert sent.component_name == MAP_COMPONENT
    m = folium.Map(location=[60.5, 26.9], zoom_start=12, tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                         "coordinates": [26.9, 60.5]}}]},
                   ).add_to(m)
    assert map_payload_bytes(m) == pytest.approx(component_bytes(sent.json_args), abs=64)
