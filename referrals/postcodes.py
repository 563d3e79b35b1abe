"""Offline postcode look-up: district (outcode) centroids from a bundled open data file.

Never calls the network. A full postcode is placed at its district's centre, which is good
to about a kilometre: enough to sort services by distance. See referrals/data/README.md for
the data's source and licence.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "outcode_centroids.csv"
EARTH_RADIUS_M = 6_371_008.8

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


class PostcodeError(ValueError):
    """A postcode that is not in the UK format, or one we have no location for."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Postcode:
    """A validated postcode or postcode district, written the standard way ("N17 9LT")."""

    text: str
    outcode: str


def parse(raw: str, *, allow_district: bool = True) -> Postcode:
    """Validate a UK postcode (or, if allowed, a district such as "N17")."""
    squashed = re.sub(r"\s+", "", raw or "").upper()
    if not squashed:
        raise PostcodeError("Enter a postcode")
    full = _FULL.match(squashed)
    if full:
        outcode, incode = full.groups()
        return Postcode(text=f"{outcode} {incode}", outcode=outcode)
    if allow_district and _OUTCODE.match(squashed):
        return Postcode(text=squashed, outcode=squashed)
    raise PostcodeError("Enter a real postcode, like N17 9LT")


@cache
def _centroids() -> dict[str, Point]:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["outcode"].strip().upper(): Point(float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def locate(raw: str) -> Point:
    """Where a postcode is: its district's centre. Raises PostcodeError if unknown."""
    postcode = parse(raw)
    point = _centroids().get(postcode.outcode)
    if point is None:
        raise PostcodeError(
            f"We do not have a location for {postcode.outcode}: enter a postcode in London "
            "or the areas around it"
        )
    return point


def try_locate(raw: str) -> Point | None:
    """Like locate(), but None for a blank, malformed or unknown postcode."""
    try:
        return locate(raw)
    except PostcodeError:
        return None


def distance_m(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in metres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap SQL prefilter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(centre.latitude)), 1e-6)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat))
    return (
        centre.latitude - dlat,
        centre.latitude + dlat,
        centre.longitude - dlon,
        centre.longitude + dlon,
    )
