from __future__ import annotations

import socket

import pytest

from referrals import postcodes
from referrals.postcodes import Point, PostcodeError


@pytest.mark.parametrize(
    ("raw", "text", "outcode"),
    [
        ("n17 9lt", "N17 9LT", "N17"),
        ("NW1  2DB", "NW1 2DB", "NW1"),
        ("EC1A1BB", "EC1A 1BB", "EC1A"),
        ("en3", "EN3", "EN3"),
    ],
)
def test_postcodes_and_districts_are_written_the_standard_way(raw, text, outcode):
    parsed = postcodes.parse(raw)
    assert (parsed.text, parsed.outcode) == (text, outcode)


@pytest.mark.parametrize("raw", ["", "   ", "hello", "N17 9L", "12345", "N17 9LTT"])
def test_malformed_postcodes_get_a_clear_error(raw):
    with pytest.raises(PostcodeError, match="postcode"):
        postcodes.parse(raw)


def test_a_district_is_refused_where_a_full_postcode_is_needed():
    with pytest.raises(PostcodeError):
        postcodes.parse("N17", allow_district=False)


def test_full_postcode_falls_back_to_its_district_centre():
    assert postcodes.locate("N17 9LT") == postcodes.locate("N17")
    point = postcodes.locate("n22 8hq")
    assert 51.55 < point.latitude < 51.65
    assert -0.2 < point.longitude < 0.0


def test_every_north_central_london_district_has_a_location():
    for district in [
        "N1",
        "N7",
        "NW1",
        "NW5",
        "N15",
        "N17",
        "N22",
        "EN1",
        "EN3",
        "N9",
        "N18",
        "NW4",
        "NW9",
        "N12",
        "EN5",
        "N2",
        "N3",
        "N4",
        "N19",
        "NW3",
        "WC1",
    ]:
        assert postcodes.try_locate(district) is not None, district


def test_unknown_district_is_a_clear_error_not_a_guess():
    with pytest.raises(PostcodeError, match="do not have a location for ZE1"):
        postcodes.locate("ZE1 0AA")
    assert postcodes.try_locate("ZE1 0AA") is None


def test_look_up_never_touches_the_network(monkeypatch):
    postcodes._centroids.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the postcode look-up tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert postcodes.locate("NW5 1TL") is not None


def test_distance_between_two_points_is_the_great_circle_distance():
    wood_green = Point(51.5975, -0.1097)
    tottenham = Point(51.5975, -0.0697)
    # 0.04 degrees of longitude at 51.6 degrees north is about 2.77 km.
    assert postcodes.distance_m(wood_green, tottenham) == pytest.approx(2766, rel=0.01)
    assert postcodes.distance_m(wood_green, wood_green) == 0


def test_bounding_box_contains_the_circle():
    centre = Point(51.6, -0.1)
    min_lat, max_lat, _min_lon, max_lon = postcodes.bounding_box(centre, 5000)
    for edge in [Point(max_lat, -0.1), Point(min_lat, -0.1), Point(51.6, max_lon)]:
        assert postcodes.distance_m(centre, edge) == pytest.approx(5000, rel=0.01)
