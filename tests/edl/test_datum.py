"""Entry-interface datum (issue 10): an altitude above the IAU 2000 Mars ellipsoid (equatorial 3396.19 km, polar
3376.20 km; Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109, 101) or a radius from Mars' centre as NASA/JPL
quote it (e.g. Phoenix: entry interface at 3522.2 km radius; Desai et al., "Entry, Descent, and Landing
Operations Analysis for the Mars Phoenix Lander", JSR 48(5), 2011). Exactly one of the two."""

import math
import tomllib

import pytest

from areo.edl.scenario import parse_edl
from areo.errors import InputError
from tests.units import METRE

from .conftest import SCENARIO

A, B = 3396.19e3, 3376.20e3  # IAU 2000 Mars ellipsoid radii (m)


def with_entry(**entry):
    d = tomllib.loads(SCENARIO.read_text())
    d["edl"]["entry"].pop("altitude_km")
    d["edl"]["entry"].update(entry)
    return d


def test_radius_datum_is_the_ellipsoid_altitude_plus_the_local_radius():
    for lat in (0.0, -4.863, 68.0):
        sc = parse_edl(with_entry(radius_km=3522.2, latitude_deg=lat))
        phi = math.radians(lat)  # geocentric: ellipse radius a b / sqrt((b cos)^2 + (a sin)^2)
        r_local = A * B / math.hypot(B * math.cos(phi), A * math.sin(phi))
        assert abs(sc.to_params([])["entry_alt"] - (3522.2e3 - r_local)) < 1e-6 * METRE
    # at 68 N the 3522.2 km radius lies ~143 km above the ellipsoid (3378.9 km radius there), not ~126 km
    assert parse_edl(with_entry(radius_km=3522.2, latitude_deg=68.0)).entry.altitude_m() > 140e3


@pytest.mark.parametrize("entry", [{}, {"radius_km": 3522.2, "altitude_km": 125.0}])
def test_exactly_one_entry_datum_is_required(entry):
    with pytest.raises(InputError, match=r"either as altitude_km .* or as radius_km") as err:
        parse_edl(with_entry(**entry))
    assert "\n" not in str(err.value)
